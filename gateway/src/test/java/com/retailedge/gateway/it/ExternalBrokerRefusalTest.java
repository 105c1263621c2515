package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.gateway.testsupport.SmallFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With an external in-store broker, a device message the store refused (here: the disk is full) is not left
 * unacknowledged with the broker for ever: the gateway offers it to the store again until it is taken, on the
 * same connection, so it is stored as soon as space returns, without any reconnect.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@Tag("slow")
class ExternalBrokerRefusalTest {
    @TempDir
    Path dir;

    @Test
    void a_message_refused_on_a_full_disk_is_taken_once_space_returns() throws Exception {
        assumeTrue(SmallFileSystem.isRoot(), "mounting a small file system needs root");
        try (SmallFileSystem small = SmallFileSystem.mount(dir.resolve("small"), 16);
                Mosquitto inStore = Mosquitto.start(dir.resolve("in-store"))) {
            Path data = small.path().resolve("data");
            GatewayEnv env = new GatewayEnv(data, "tcp://127.0.0.1:" + FreePorts.tcp())
                    .set("GATEWAY_MQTT_URL", inStore.url())
                    .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
            try (InProcessGateway gateway = InProcessGateway.start(env);
                    CoapDevice coap = new CoapDevice(env.coapPort());
                    MqttDevice button = MqttDevice.connect(inStore.url(), "button-2", Duration.ofSeconds(10))) {
                // the gateway's subscription may follow its start by a moment: one press through first
                String probe = "probe-1";
                MqttDevice.awaitAck(
                        button.publish(Payloads.pressTopic("button-2"), probe, Payloads.press(probe)),
                        Duration.ofSeconds(10));
                await("the probe stored")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> stored(data).contains(probe));

                small.fill("filler");
                int n = 0;
                while (coap.post(
                                        "/button/button-1/press",
                                        ("{\"msgId\":\"fill-" + n + "\",\"press\":\"single\"}")
                                                .getBytes(StandardCharsets.UTF_8))
                                .getCode()
                        == ResponseCode.CHANGED) {
                    assertTrue(++n < 5000, "the store never filled up");
                }

                Set<String> sent = new HashSet<>();
                List<CompletableFuture<String>> acks = new java.util.ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    String msgId = "while-full-" + i;
                    sent.add(msgId);
                    acks.add(button.publish(Payloads.pressTopic("button-2"), msgId, Payloads.press(msgId)));
                }
                for (CompletableFuture<String> ack : acks) {
                    MqttDevice.awaitAck(ack, Duration.ofSeconds(10)); // the broker's PUBACK, not the gateway's
                }
                await("the store refused them at least once")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> retries(env) > 0);
                // (SQLite may free a little space as it fails, so some of them can land on a later offer already)

                Files.delete(small.path().resolve("filler"));
                Files.deleteIfExists(small.path().resolve("filler-tail"));
                await("every refused message is taken once space returns")
                        .atMost(Duration.ofSeconds(40))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> stored(data).containsAll(sent));
                System.out.printf(
                        "external-broker-refusal: %.0f offers refused and retried, all %d messages stored%n",
                        retries(env), sent.size());
            }
        }
    }

    private static double retries(GatewayEnv env) {
        return new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN)
                .metric("gateway_mqtt_refused_retries_total", Map.of());
    }

    /** The msgIds of button-2 in the database, read-only beside the running gateway. */
    private static Set<String> stored(Path data) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("gateway.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA query_only=ON");
            try (ResultSet rs = s.executeQuery("SELECT msg_id FROM device_message WHERE device_id = 'button-2'")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
