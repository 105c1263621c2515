package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PDAs and buttons over MQTT, buttons and shelf labels over CoAP, one gateway, one cloud broker: every device
 * message the gateway accepts reaches the cloud as exactly one well-formed CloudEvent that names the device
 * and carries the message's {@code msgId}; the events are numbered 1..N and arrive in that order; and the
 * events API serves the same events in the same order.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Tag("slow")
class EndToEndTest {
    private static final Duration ACK = Duration.ofSeconds(10);
    private static final int PDAS = 3;
    private static final int SCANS_PER_PDA = 20;
    private static final int MQTT_BUTTONS = 2;
    private static final int PRESSES_PER_MQTT_BUTTON = 10;
    private static final int PRESSES_PER_COAP_BUTTON = 5;
    private static final int LABELS = 5;

    @TempDir
    Path dir;

    /** What the cloud must see for one msgId: the device as subject, and the event type. */
    private record Expected(String subject, String type) {}

    @Test
    void every_accepted_device_message_reaches_the_cloud_once_in_sequence_and_the_api_serves_the_same_events()
            throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(
                        new GatewayEnv(dir.resolve("gateway"), cloud.url()).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"));
                CoapDevice coap = new CoapDevice(gateway.env().coapUrl(""), ACK)) {
            GatewayEnv env = gateway.env();
            Map<String, Expected> expected = new ConcurrentHashMap<>();
            Map<String, String> replies = new ConcurrentHashMap<>();
            List<MqttDevice> devices = new ArrayList<>();
            List<CompletableFuture<String>> acks = new ArrayList<>();
            String unchanged = "esl-1-status-2";
            try {
                // PDAs scan concurrently, each on its own connection, and listen for the answers.
                for (int p = 1; p <= PDAS; p++) {
                    String pda = "pda-" + p;
                    MqttDevice device = MqttDevice.connect(env.mqttUrl(), pda, ACK);
                    devices.add(device);
                    device.subscribe(
                            Payloads.replyTopic(pda),
                            reply -> replies.put(
                                    reply.path("msgId").asText(),
                                    reply.path("result").asText()));
                    for (int i = 1; i <= SCANS_PER_PDA; i++) {
                        String msgId = pda + "-scan-" + i;
                        expected.put(msgId, new Expected(pda, "retail.scan.accepted"));
                        acks.add(device.publish(
                                Payloads.scanTopic(pda),
                                msgId,
                                Payloads.scan(msgId, "order-" + p, Payloads.EAN13, i % 3 + 1)));
                    }
                }
                for (int b = 1; b <= MQTT_BUTTONS; b++) {
                    String button = "button-" + b;
                    MqttDevice device = MqttDevice.connect(env.mqttUrl(), button, ACK);
                    devices.add(device);
                    for (int i = 1; i <= PRESSES_PER_MQTT_BUTTON; i++) {
                        String msgId = button + "-press-" + i;
                        expected.put(msgId, new Expected(button, "retail.button.pressed"));
                        acks.add(device.publish(
                                Payloads.pressTopic(button),
                                msgId,
                                Payloads.press(msgId, i % 2 == 0 ? "single" : "long")));
                    }
                }

                // CoAP buttons and labels, answered 2.04 once durable.
                for (String button : List.of("button-3", "button-4")) {
                    for (int i = 1; i <= PRESSES_PER_COAP_BUTTON; i++) {
                        String msgId = button + "-coap-press-" + i;
                        expected.put(msgId, new Expected(button, "retail.button.pressed"));
                        assertChanged(coap.post(Payloads.pressPath(button), Payloads.press(msgId)), msgId);
                    }
                }
                for (int l = 1; l <= LABELS; l++) {
                    String label = "esl-" + l;
                    String msgId = label + "-status-1";
                    expected.put(msgId, new Expected(label, "retail.label.updated"));
                    assertChanged(
                            coap.post(Payloads.labelStatusPath(label), Payloads.labelStatus(msgId, 1, 90)), msgId);
                }
                // A label that reports the version it already showed is accepted but causes no event ...
                assertChanged(
                        coap.post(Payloads.labelStatusPath("esl-1"), Payloads.labelStatus(unchanged, 1, 89)),
                        unchanged);
                // ... and one that shows a new version does. Sent last: events arrive in order, so once this one is
                // in, an event for the unchanged report would have been too.
                String changed = "esl-2-status-2";
                expected.put(changed, new Expected("esl-2", "retail.label.updated"));
                assertChanged(
                        coap.post(Payloads.labelStatusPath("esl-2"), Payloads.labelStatus(changed, 2, 88)), changed);

                for (CompletableFuture<String> ack : acks) {
                    MqttDevice.awaitAck(ack, ACK);
                }

                await("every accepted message at the cloud")
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> collector.assertHasAll(expected.keySet()));
                await("an answer to every scan")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> replies.size() >= PDAS * SCANS_PER_PDA);
            } finally {
                devices.forEach(MqttDevice::close);
            }

            List<JsonNode> events = collector.distinctEvents();
            assertEquals(List.of(), collector.unreadable(), "payloads that are not CloudEvents JSON");
            assertEquals(0, collector.duplicateDeliveries(), "no link was lost, so nothing is sent twice");
            CloudEventChecks.assertAllWellFormed(events);
            CloudEventChecks.assertOneEventPerMsgId(events, expected.keySet());
            CloudEventChecks.assertNoEventFor(events, Set.of(unchanged));
            assertEquals(expected.size(), events.size(), "one event per accepted message, and no others");
            CloudEventChecks.assertFirstArrivalsAreOneToN(events);
            for (JsonNode event : events) {
                Expected e = expected.get(event.path("data").path("msgId").asText());
                assertEquals(e.subject(), event.path("subject").asText(), "subject of " + event);
                assertEquals(e.type(), event.path("type").asText(), "type of " + event);
            }
            Map<String, String> notAccepted = new HashMap<>(replies);
            notAccepted.values().removeIf("accepted"::equals);
            assertTrue(notAccepted.isEmpty(), "scans not answered 'accepted': " + notAccepted);

            List<JsonNode> stored = new GatewayHttp(env).allEvents();
            assertEquals(events, stored, "GET /api/v1/events serves the events the cloud got, in the same order");
        }
    }

    private static void assertChanged(CoapResponse response, String msgId) {
        assertTrue(response != null, "no CoAP answer for " + msgId);
        assertEquals(
                ResponseCode.CHANGED,
                response.getCode(),
                "CoAP answer for " + msgId + ": " + response.getResponseText());
    }
}
