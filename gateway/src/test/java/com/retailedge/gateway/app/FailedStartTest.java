package com.retailedge.gateway.app;

import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.ThreadLeaks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start that fails half-way stops what it had started: with the devices' MQTT port taken, the store, its writer,
 * the timers and the capabilities started before it must not run on in a gateway that never came up.
 */
@Tag("slow")
class FailedStartTest {
    @TempDir
    Path dir;

    @Test
    void a_start_that_fails_on_a_taken_port_leaves_no_thread_running() throws Exception {
        GatewayEnv env = new GatewayEnv(dir.resolve("data"), "tcp://127.0.0.1:1");
        ThreadLeaks threads = ThreadLeaks.before();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), env.mqttPort()));
            Gateway gateway = new Gateway(new ConfigLoader(env.asMap()).load(null));
            IOException failure = assertThrows(IOException.class, gateway::start);
            assertTrue(failure.getMessage().contains("already in use"), failure.getMessage());
        }
        threads.assertNoneLeft(Duration.ofSeconds(10));
    }
}
