package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM (what Ctrl-C and systemd send) stops the gateway through its shutdown path: inputs close, the
 * store closes last, the process exits, and the database it leaves is whole and holds what was accepted.
 */
@Timeout(90)
@Tag("slow")
class CleanShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigterm_stops_the_gateway_cleanly_and_leaves_a_whole_database() throws Exception {
        Path data = dir.resolve("data");
        // Twenty presses of one button in a burst would be bounces; here each must become its event.
        GatewayEnv env =
                new GatewayEnv(data, "tcp://127.0.0.1:" + FreePorts.tcp()).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
        Path log = dir.resolve("gateway.log");
        GatewayProcess gateway = new GatewayProcess(env, log).start();
        try (MqttDevice button = new MqttDevice(env.mqttUrl())) {
            for (int i = 0; i < 20; i++) {
                button.publish("store/s001/button/button-2/press", "{\"msgId\":\"b" + i + "\",\"press\":\"single\"}");
            }
        }

        int exit = gateway.stop();

        assertEquals(143, exit, "the JVM's exit code after SIGTERM and its shutdown hook");
        assertTrue(Files.readString(log).contains("gateway stopped"), "the shutdown path ran");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("gateway.db"));
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                assertEquals("ok", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM outbox WHERE type = 'retail.button.pressed'")) {
                assertEquals(20, rs.getInt(1));
            }
        }
    }
}
