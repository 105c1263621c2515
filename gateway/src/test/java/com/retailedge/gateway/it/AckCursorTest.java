package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The acknowledged cursor is written at most every half second rather than per PUBACK: while the gateway runs it
 * still reaches the database within that, and a clean stop writes it exactly, so a restart sends the cloud nothing
 * twice.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Tag("slow")
class AckCursorTest {
    @TempDir
    Path dir;

    @Test
    void the_saved_cursor_follows_the_acknowledgements_and_a_clean_stop_leaves_it_exact() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url())) {
            GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), cloud.url()).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
            try (InProcessGateway gateway = InProcessGateway.start(env);
                    CoapDevice coap = new CoapDevice(gateway.env().coapPort())) {
                for (int i = 1; i <= 10; i++) {
                    coap.press("button-" + i);
                }
                await("the cloud has all ten")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> collector.distinctCount() == 10);
                long last = collector.distinctEvents().get(9).get("sequence").asLong();
                await("the saved cursor catches up while the gateway runs")
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> savedCursor(gateway.env()) == last);

                coap.press("button-1");
                await("the eleventh arrives")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> collector.distinctCount() == 11);
            }
            long last = collector.distinctEvents().get(10).get("sequence").asLong();
            assertEquals(last, savedCursor(env), "a clean stop saves the cursor of the last acknowledgement");

            int before = collector.deliveries().size();
            try (InProcessGateway again = InProcessGateway.start(env);
                    CoapDevice coap = new CoapDevice(again.env().coapPort())) {
                coap.press("button-2");
                await("the twelfth arrives")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> collector.distinctCount() == 12);
            }
            assertEquals(before + 1, collector.deliveries().size(), "the restart sent only the new event");
            assertEquals(0, collector.duplicateDeliveries());
        }
    }

    private static long savedCursor(GatewayEnv env) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:sqlite:" + env.dataDir().resolve("gateway.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT value FROM gateway_state WHERE name = 'outbox.acked'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
