package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway speaks plain MQTT and CoAP: clients that are not ours (mosquitto_pub as PDAs and buttons,
 * libcoap's coap-client as buttons and labels, mosquitto_sub as the cloud backend) drive it and hear it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("slow")
class InteropTest {
    private static final Duration TOOL = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READY_TOPIC = "it/cloud-ready";

    @TempDir
    Path dir;

    @Test
    void foreign_device_clients_are_heard_and_a_foreign_cloud_subscriber_gets_every_event_in_order() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway = InProcessGateway.start(
                        new GatewayEnv(dir.resolve("gateway"), cloud.url()).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"))) {
            GatewayEnv env = gateway.env();
            Set<String> expected = new HashSet<>();
            Set<String> refused = new HashSet<>();
            List<String[]> scans = List.of(
                    new String[] {"pda-1", "s1"},
                    new String[] {"pda-1", "s2"},
                    new String[] {"pda-2", "s3"},
                    new String[] {"pda-2", "s4"},
                    new String[] {"pda-3", "s5"});
            int expectedEvents = scans.size() + 2 + 2 + 2;

            // The cloud backend subscribes before any device speaks and stops after the expected number. A retained
            // marker on a second topic shows when its subscription is in place: it is delivered right after SUBACK.
            ForeignProcess marker = ForeignProcess.run(
                    TOOL,
                    "mosquitto_pub",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(cloud.port()),
                    "-q",
                    "1",
                    "-r",
                    "-t",
                    READY_TOPIC,
                    "-m",
                    "ready");
            assertEquals(0, marker.exitCode(), marker.output());
            try (ForeignProcess subscriber = ForeignProcess.start(
                    "mosquitto_sub",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(cloud.port()),
                    "-i",
                    "cloud-interop",
                    "-q",
                    "1",
                    "-t",
                    Payloads.EVENTS_TOPIC,
                    "-t",
                    READY_TOPIC,
                    "-C",
                    Integer.toString(expectedEvents + 1),
                    "-W",
                    "60")) {
                await("mosquitto_sub subscribed")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> subscriber.stdout().contains("ready"));

                // Bad input first: events leave in order, so an event for it would come before the good ones.
                String badBarcode = "interop-bad-barcode";
                refused.add(badBarcode);
                mosquittoPub(
                        env, Payloads.scanTopic("pda-1"), Payloads.scan(badBarcode, "order-1", "4006381333932", 1));
                String badPress = "interop-bad-press";
                refused.add(badPress);
                ForeignProcess coapBad =
                        coapPost(env, Payloads.pressPath("button-1"), Payloads.press(badPress, "triple"));
                assertTrue(
                        coapBad.output().contains("4.00"),
                        "a press of kind 'triple' is answered 4.00: " + coapBad.output());

                for (String[] scan : scans) {
                    String msgId = "interop-" + scan[1];
                    expected.add(msgId);
                    mosquittoPub(env, Payloads.scanTopic(scan[0]), Payloads.scan(msgId));
                }
                for (int i = 1; i <= 2; i++) {
                    String msgId = "interop-mqtt-press-" + i;
                    expected.add(msgId);
                    mosquittoPub(env, Payloads.pressTopic("button-1"), Payloads.press(msgId));
                }
                for (int i = 1; i <= 2; i++) {
                    String msgId = "interop-coap-press-" + i;
                    expected.add(msgId);
                    ForeignProcess ok = coapPost(env, Payloads.pressPath("button-2"), Payloads.press(msgId, "double"));
                    assertFalse(ok.output().matches("(?s).*\\b[45]\\.\\d\\d\\b.*"), "2.04 expected: " + ok.output());
                }
                for (int l = 1; l <= 2; l++) {
                    String msgId = "interop-label-" + l;
                    expected.add(msgId);
                    ForeignProcess ok =
                            coapPost(env, Payloads.labelStatusPath("esl-" + l), Payloads.labelStatus(msgId, 7, 55));
                    assertFalse(ok.output().matches("(?s).*\\b[45]\\.\\d\\d\\b.*"), "2.04 expected: " + ok.output());
                }

                assertEquals(
                        0,
                        subscriber.awaitExit(Duration.ofSeconds(60)),
                        "mosquitto_sub got " + expectedEvents + " events and the marker before its timeout: "
                                + subscriber.output());
                List<JsonNode> events = new ArrayList<>();
                for (String line : subscriber.stdout()) {
                    if (line.startsWith("{")) {
                        events.add(JSON.readTree(line));
                    }
                }
                assertEquals(expectedEvents, events.size(), "events printed by mosquitto_sub");
                CloudEventChecks.assertAllWellFormed(events);
                CloudEventChecks.assertFirstArrivalsAreOneToN(events);
                CloudEventChecks.assertOneEventPerMsgId(events, expected);
                CloudEventChecks.assertNoEventFor(events, refused);
            }
        }
    }

    @Test
    void coap_discovery_lists_the_button_press_resource() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway =
                        InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), cloud.url()))) {
            ForeignProcess discovery = ForeignProcess.run(
                    TOOL,
                    "coap-client-notls",
                    "-m",
                    "get",
                    "-B",
                    "10",
                    gateway.env().coapUrl("/.well-known/core"));
            assertEquals(0, discovery.exitCode(), discovery.output());
            assertTrue(
                    discovery.output().contains("</button/button-1/press>"),
                    "/.well-known/core lists /button/button-1/press: " + discovery.output());
            assertTrue(
                    discovery.output().contains("</esl/esl-1/status>"),
                    "/.well-known/core lists /esl/esl-1/status: " + discovery.output());
        }
    }

    /** mosquitto_pub at QoS 1 exits 0 only after its PUBACK: the gateway has the message. */
    private static void mosquittoPub(GatewayEnv env, String topic, String json) throws Exception {
        ForeignProcess pub = ForeignProcess.run(
                TOOL,
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(env.mqttPort()),
                "-q",
                "1",
                "-t",
                topic,
                "-m",
                json);
        assertEquals(0, pub.exitCode(), "mosquitto_pub " + topic + " " + json + ": " + pub.output());
    }

    private static ForeignProcess coapPost(GatewayEnv env, String path, String json) throws Exception {
        ForeignProcess post = ForeignProcess.run(
                TOOL, "coap-client-notls", "-m", "post", "-B", "10", "-t", "json", "-e", json, env.coapUrl(path));
        assertEquals(0, post.exitCode(), "coap-client POST " + path + " " + json + ": " + post.output());
        return post;
    }
}
