package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A store that already runs its own MQTT broker points the gateway at it ({@code mqtt.url}): the gateway then
 * starts no broker of its own, takes the device topics from that broker through its subscription, answers
 * PDAs there, and its events reach the cloud as usual.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Tag("slow")
class ExternalBrokerTest {
    private static final Duration ACK = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void devices_on_an_external_in_store_broker_are_ingested_answered_and_forwarded_to_the_cloud() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                Mosquitto inStore = Mosquitto.start(dir.resolve("in-store"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), cloud.url())
                        .set("GATEWAY_MQTT_URL", inStore.url())
                        .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"))) {
            GatewayEnv env = gateway.env();
            assertEquals(-1, gateway.gateway().mqttPort(), "no embedded broker port is reported");
            assertThrows(
                    IOException.class,
                    () -> new Socket("127.0.0.1", env.mqttPort()).close(),
                    "nothing listens on the embedded broker's port");

            Map<String, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
            Map<String, String> subjects = new HashMap<>();
            List<MqttDevice> devices = new ArrayList<>();
            try {
                for (String pda : List.of("pda-1", "pda-2")) {
                    MqttDevice device = MqttDevice.connect(inStore.url(), pda, ACK);
                    devices.add(device);
                    device.subscribe(
                            Payloads.replyTopic(pda),
                            reply -> replyTo(replies, reply.path("msgId").asText())
                                    .complete(reply));
                }
                MqttDevice pda1 = devices.get(0);
                MqttDevice pda2 = devices.get(1);

                // The gateway subscribes just after it connects. Like a PDA whose reply got lost, the first scan
                // is sent again, with the same msgId, until it is answered; the gateway acts on it once.
                String first = "ext-scan-1";
                subjects.put(first, "pda-1");
                JsonNode firstReply = null;
                for (int attempt = 1; firstReply == null; attempt++) {
                    MqttDevice.awaitAck(pda1.publish(Payloads.scanTopic("pda-1"), first, Payloads.scan(first)), ACK);
                    try {
                        firstReply = replyTo(replies, first).get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException unanswered) {
                        if (attempt >= 15) {
                            throw new AssertionError("no reply to " + first + " after " + attempt + " sends");
                        }
                    }
                }
                assertEquals("accepted", firstReply.path("result").asText(), "reply " + firstReply);

                List<CompletableFuture<String>> acks = new ArrayList<>();
                for (int i = 2; i <= 6; i++) {
                    MqttDevice pda = i % 2 == 0 ? pda1 : pda2;
                    String pdaId = i % 2 == 0 ? "pda-1" : "pda-2";
                    String msgId = "ext-scan-" + i;
                    subjects.put(msgId, pdaId);
                    acks.add(pda.publish(Payloads.scanTopic(pdaId), msgId, Payloads.scan(msgId)));
                }
                MqttDevice button = MqttDevice.connect(inStore.url(), "button-1", ACK);
                devices.add(button);
                for (int i = 1; i <= 3; i++) {
                    String msgId = "ext-press-" + i;
                    subjects.put(msgId, "button-1");
                    acks.add(button.publish(Payloads.pressTopic("button-1"), msgId, Payloads.press(msgId)));
                }
                for (CompletableFuture<String> ack : acks) {
                    MqttDevice.awaitAck(ack, ACK);
                }

                for (int i = 2; i <= 6; i++) {
                    JsonNode reply = replyTo(replies, "ext-scan-" + i).get(ACK.toMillis(), TimeUnit.MILLISECONDS);
                    assertEquals("accepted", reply.path("result").asText(), "reply " + reply);
                }
                await("every message's event at the cloud")
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> collector.assertHasAll(subjects.keySet()));
            } finally {
                devices.forEach(MqttDevice::close);
            }

            List<JsonNode> events = collector.distinctEvents();
            CloudEventChecks.assertAllWellFormed(events);
            CloudEventChecks.assertOneEventPerMsgId(events, subjects.keySet());
            assertEquals(subjects.size(), events.size(), "one event per message, and no others");
            CloudEventChecks.assertFirstArrivalsAreOneToN(events);
            for (JsonNode event : events) {
                assertEquals(
                        subjects.get(event.path("data").path("msgId").asText()),
                        event.path("subject").asText(),
                        "subject of " + event);
            }
        }
    }

    private static CompletableFuture<JsonNode> replyTo(Map<String, CompletableFuture<JsonNode>> replies, String msgId) {
        return replies.computeIfAbsent(msgId, k -> new CompletableFuture<>());
    }
}
