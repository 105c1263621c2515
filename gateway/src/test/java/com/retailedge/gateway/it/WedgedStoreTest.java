package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another process holds SQLite's write lock (a backup tool, a stuck migration): the store is wedged. Every device
 * wait still ends: an MQTT publish gets no PUBACK and its connection is closed, a CoAP POST is answered 5.03, and
 * {@code /health} turns 503 reporting a stuck writer with the age of its oldest queued unit. Once the lock is gone,
 * all of it recovers and the devices' messages are accepted again.
 */
@Timeout(180)
@Tag("slow")
class WedgedStoreTest {
    @TempDir
    Path dir;

    @Test
    void a_wedged_store_ends_every_device_wait_and_health_says_so_until_it_recovers() throws Exception {
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp())
                .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
        try (InProcessGateway gateway = InProcessGateway.start(env);
                CoapDevice coap = new CoapDevice(env.coapPort())) {
            ApiClient read = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            assertEquals(200, read.get("/health").statusCode());
            Queue<ResponseCode> answers = new ConcurrentLinkedQueue<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger n = new AtomicInteger();
            Thread button;
            try (Connection lock = DriverManager.getConnection(
                            "jdbc:sqlite:" + env.dataDir().resolve("gateway.db"));
                    Statement s = lock.createStatement()) {
                s.execute("BEGIN IMMEDIATE"); // the write lock, held until rollback
                s.execute("DELETE FROM gateway_state WHERE name = 'no such row'");

                MqttDevice pda = new MqttDevice(env.mqttUrl());
                long start = System.nanoTime();
                assertThrows(
                        MqttException.class,
                        () -> pda.publish(Payloads.pressTopic("button-1"), Payloads.press("wedged-mqtt")),
                        "no PUBACK while the store is wedged");
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(
                        waitedMs < 9_000,
                        "the gate gave up on the store after about 5 s, not Paho's 10 s: " + waitedMs);
                pda.close();

                // A button that keeps pressing, as devices do while the store is wedged.
                button = new Thread(() -> {
                    while (sending.get()) {
                        answers.add(coap.post(
                                        Payloads.pressPath("button-2"),
                                        Payloads.press("wedged-coap-" + n.incrementAndGet())
                                                .getBytes(StandardCharsets.UTF_8))
                                .getCode());
                    }
                });
                button.start();
                await("CoAP answered 5.03")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> answers.contains(ResponseCode.SERVICE_UNAVAILABLE));
                await("/health says the writer is stuck")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> read.get("/health").statusCode() == 503);
                JsonNode store = ApiClient.parse(read.get("/health").body()).get("store");
                assertTrue(store.get("writerAlive").asBoolean(), store.toString());
                assertTrue(store.get("writerStuck").asBoolean(), store.toString());
                assertTrue(store.get("oldestQueuedSeconds").asDouble() >= 10, store.toString());
                s.execute("ROLLBACK");
            }
            await("/health recovers")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> read.get("/health").statusCode() == 200);
            sending.set(false);
            button.join(20_000);
            try (MqttDevice pda = new MqttDevice(env.mqttUrl())) {
                pda.publish(Payloads.pressTopic("button-1"), Payloads.press("wedged-mqtt")); // PUBACK now
            }
            assertEquals(
                    ResponseCode.CHANGED,
                    coap.post(
                                    Payloads.pressPath("button-3"),
                                    Payloads.press("after").getBytes(StandardCharsets.UTF_8))
                            .getCode());
            HttpResponse<String> health = read.get("/health");
            assertTrue(health.body().contains("\"writerStuck\":false"), health.body());
            assertTrue(
                    answers.stream().allMatch(c -> c == ResponseCode.SERVICE_UNAVAILABLE || c == ResponseCode.CHANGED),
                    answers.toString());
        }
    }
}
