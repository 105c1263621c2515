package com.retailedge.gateway.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * CONTRACT §3 against a running gateway: every class of bad input, over MQTT and over CoAP, is answered where
 * the device can hear an answer, counted in the metrics and kept as a dead letter with its reason, and
 * none of it stops the gateway taking good input.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("slow")
class BadInputTest {
    private static final String STORE = "store/" + GatewayEnv.STORE + "/";
    private static final String VALID_PRESS = "{\"msgId\":\"ok\",\"press\":\"single\"}";

    @TempDir
    static Path dir;

    private InProcessGateway gateway;
    private MqttDevice mqtt;
    private CoapDevice coap;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        // The cloud URL points at a free port where nothing listens: the gateway runs and buffers.
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp());
        gateway = InProcessGateway.start(env);
        mqtt = new MqttDevice(env.mqttUrl());
        coap = new CoapDevice(env.coapPort());
        api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
    }

    @AfterAll
    void stop() throws Exception {
        if (mqtt != null) {
            mqtt.close();
        }
        if (coap != null) {
            coap.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static Stream<Arguments> badMqtt() {
        return Stream.of(
                arguments("not JSON", STORE + "button/button-1/press", utf8("press!"), "not-json", "button-1"),
                arguments(
                        "not UTF-8",
                        STORE + "button/button-9/press",
                        new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF},
                        "not-json",
                        "button-9"),
                arguments(
                        "a JSON array",
                        STORE + "button/button-10/press",
                        utf8("[" + VALID_PRESS + "]"),
                        "not-object",
                        "button-10"),
                arguments(
                        "a missing field",
                        STORE + "button/button-2/press",
                        utf8("{\"msgId\":\"m-2\"}"),
                        "missing-field",
                        "button-2"),
                arguments(
                        "a mistyped field",
                        STORE + "esl/esl-1/status",
                        utf8("{\"msgId\":\"m-3\",\"version\":\"3\",\"battery\":50}"),
                        "bad-field",
                        "esl-1"),
                arguments(
                        "qty as a string",
                        STORE + "pda/pda-3/scan",
                        utf8(scan("m-4", "4006381333931", "\"2\"")),
                        "bad-field",
                        "pda-3"),
                arguments(
                        "an unknown device",
                        STORE + "button/button-999/press",
                        utf8(VALID_PRESS),
                        "unknown-device",
                        "button-999"),
                arguments(
                        "a device of another kind",
                        STORE + "pda/button-3/scan",
                        utf8(scan("m-5", "4006381333931", "1")),
                        "unknown-device",
                        "button-3"),
                arguments(
                        "a bad barcode check digit",
                        STORE + "pda/pda-1/scan",
                        utf8(scan("m-6", "4006381333932", "1")),
                        "bad-barcode",
                        "pda-1"),
                arguments(
                        "a payload over 64 KiB", STORE + "button/button-4/press", oversize(), "too-large", "button-4"),
                arguments("an unknown leaf", STORE + "button/button-5/hold", utf8(VALID_PRESS), "unknown-topic", null),
                arguments("an unknown kind", STORE + "printer/p-1/status", utf8(VALID_PRESS), "unknown-topic", null));
    }

    @Order(1)
    @ParameterizedTest(name = "[{index}] {0} over MQTT -> {3}")
    @MethodSource("badMqtt")
    void given_bad_input_over_mqtt_when_published_with_qos1_then_it_is_acknowledged_counted_and_a_dead_letter(
            String what, String topic, byte[] payload, String reason, String deviceId) throws Exception {
        double counted = deadLetterCount("mqtt", reason);

        mqtt.publish(topic, payload); // returns only once the PUBACK came: the input was taken, not dropped

        Map<String, Object> dead = awaitDeadLetter("mqtt", topic, reason);
        assertEquals(deviceId, dead.get("deviceId"));
        assertEquals(payload.length, ((Number) dead.get("size")).intValue());
        assertTrue(!((String) dead.get("detail")).isBlank(), "the reason is explained: " + dead);
        eventually().until(() -> deadLetterCount("mqtt", reason) == counted + 1);
    }

    static Stream<Arguments> badCoap() {
        return Stream.of(
                arguments(
                        "not JSON",
                        "/button/button-6/press",
                        utf8("press!"),
                        ResponseCode.BAD_REQUEST,
                        "not-json",
                        "button-6"),
                arguments(
                        "a missing field",
                        "/button/button-7/press",
                        utf8("{\"press\":\"single\"}"),
                        ResponseCode.BAD_REQUEST,
                        "missing-field",
                        "button-7"),
                arguments(
                        "a mistyped field",
                        "/esl/esl-2/status",
                        utf8("{\"msgId\":\"c-3\",\"version\":3,\"battery\":\"full\"}"),
                        ResponseCode.BAD_REQUEST,
                        "bad-field",
                        "esl-2"),
                arguments(
                        "an out-of-range field",
                        "/esl/esl-5/status",
                        utf8("{\"msgId\":\"c-4\",\"version\":3,\"battery\":101}"),
                        ResponseCode.BAD_REQUEST,
                        "bad-field",
                        "esl-5"),
                arguments(
                        "an unknown device",
                        "/button/button-998/press",
                        utf8(VALID_PRESS),
                        ResponseCode.BAD_REQUEST,
                        "unknown-device",
                        "button-998"),
                arguments(
                        "a payload over 64 KiB",
                        "/esl/esl-3/status",
                        oversize(),
                        ResponseCode.REQUEST_ENTITY_TOO_LARGE,
                        "too-large",
                        "esl-3"),
                arguments(
                        "an unknown leaf",
                        "/button/button-8/hold",
                        utf8(VALID_PRESS),
                        ResponseCode.NOT_FOUND,
                        "unknown-topic",
                        null),
                arguments(
                        "a leaf of another kind",
                        "/esl/esl-4/press",
                        utf8(VALID_PRESS),
                        ResponseCode.NOT_FOUND,
                        "unknown-topic",
                        null));
    }

    @Order(1)
    @ParameterizedTest(name = "[{index}] {0} over CoAP -> {3} {4}")
    @MethodSource("badCoap")
    void given_bad_input_over_coap_when_posted_then_it_is_answered_4xx_counted_and_a_dead_letter(
            String what, String path, byte[] payload, ResponseCode code, String reason, String deviceId) {
        double counted = deadLetterCount("coap", reason);

        CoapResponse response = coap.post(path, payload);

        assertEquals(code, response.getCode(), response.getResponseText());
        assertTrue(
                response.getResponseText().startsWith(reason),
                "the answer names the reason: " + response.getResponseText());
        Map<String, Object> dead = awaitDeadLetter("coap", path, reason);
        assertEquals(deviceId, dead.get("deviceId"));
        assertEquals(payload.length, ((Number) dead.get("size")).intValue());
        eventually().until(() -> deadLetterCount("coap", reason) == counted + 1);
    }

    @Order(2)
    @Test
    void given_a_dead_letter_then_the_api_shows_its_payload_as_text_or_base64_and_cut_at_64_KiB() {
        List<Map<String, Object>> all = api.deadLetters();
        Map<String, Object> text =
                find(all, "mqtt", STORE + "button/button-1/press", "not-json").orElseThrow();
        assertEquals("press!", text.get("payload"));
        Map<String, Object> binary =
                find(all, "mqtt", STORE + "button/button-9/press", "not-json").orElseThrow();
        assertEquals(
                Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}),
                binary.get("payloadBase64"));
        Map<String, Object> large =
                find(all, "coap", "/esl/esl-3/status", "too-large").orElseThrow();
        assertEquals(64 * 1024 + 1, ((Number) large.get("size")).intValue());
        assertEquals(64 * 1024, ((String) large.get("payload")).length(), "kept up to 64 KiB");
    }

    @Order(3)
    @Test
    void given_a_pda_scan_with_a_bad_barcode_when_it_arrives_over_mqtt_then_the_pda_hears_a_rejection()
            throws Exception {
        String replies = STORE + "pda/pda-4/reply";
        try (MqttDevice pda = new MqttDevice(gateway.env().mqttUrl()).subscribe(replies)) {
            pda.publish(STORE + "pda/pda-4/scan", scan("bad-scan-1", "5901234123450", "1"));

            JsonNode reply = ApiClient.parse(nextOn(pda, replies).payload());
            assertEquals("bad-scan-1", reply.get("msgId").asText());
            assertEquals("rejected", reply.get("result").asText());
            assertEquals("bad-barcode", reply.get("reason").asText());
        }
    }

    @Order(3)
    @Test
    void given_a_pda_scan_that_is_not_json_then_the_pda_still_hears_a_rejection_without_a_msgId() throws Exception {
        String replies = STORE + "pda/pda-6/reply";
        try (MqttDevice pda = new MqttDevice(gateway.env().mqttUrl()).subscribe(replies)) {
            pda.publish(STORE + "pda/pda-6/scan", "{\"msgId\":\"cut-off");

            JsonNode reply = ApiClient.parse(nextOn(pda, replies).payload());
            assertTrue(reply.get("msgId").isNull());
            assertEquals("rejected", reply.get("result").asText());
            assertEquals("not-json", reply.get("reason").asText());
        }
    }

    @Order(3)
    @Test
    void given_a_scan_sent_twice_with_one_msgId_then_it_is_answered_twice_and_acted_on_once() throws Exception {
        String replies = STORE + "pda/pda-5/reply";
        try (MqttDevice pda = new MqttDevice(gateway.env().mqttUrl()).subscribe(replies)) {
            String scan = scan("dup-scan-1", "4006381333931", "2");
            pda.publish(STORE + "pda/pda-5/scan", scan);
            JsonNode first = ApiClient.parse(nextOn(pda, replies).payload());
            pda.publish(STORE + "pda/pda-5/scan", scan);
            JsonNode second = ApiClient.parse(nextOn(pda, replies).payload());

            assertEquals("accepted", first.get("result").asText());
            assertEquals("dup-scan-1", first.get("msgId").asText());
            assertEquals(first, second, "the repeat is answered with the same reply");
        }
        List<JsonNode> scans = api.events().stream()
                .filter(e -> e.get("type").asText().equals("retail.scan.accepted"))
                .filter(e -> e.get("data").get("msgId").asText().equals("dup-scan-1"))
                .toList();
        assertEquals(1, scans.size(), "one event for one msgId");
        assertEquals("pda-5", scans.get(0).get("subject").asText());
    }

    @Order(9)
    @Test
    void after_all_the_bad_input_the_gateway_is_healthy_and_still_takes_good_input() throws Exception {
        var health = api.get("/health", null);
        assertEquals(200, health.statusCode());
        assertEquals("UP", ApiClient.parse(health.body()).get("status").asText());

        mqtt.publish(STORE + "button/button-1/press", "{\"msgId\":\"good-after-bad\",\"press\":\"long\"}");
        CoapResponse coapAnswer =
                coap.post("/esl/esl-6/status", utf8("{\"msgId\":\"good-coap\",\"version\":1,\"battery\":90}"));
        assertEquals(ResponseCode.CHANGED, coapAnswer.getCode());

        eventually()
                .until(() -> api.events().stream()
                        .anyMatch(e -> e.get("data").path("msgId").asText().equals("good-after-bad")
                                && e.get("type").asText().equals("retail.button.pressed")));
        assertTrue(api.events().stream()
                .anyMatch(e -> e.get("data").path("msgId").asText().equals("good-coap")
                        && e.get("type").asText().equals("retail.label.updated")));
        assertTrue(gateway.gateway().mqttPort() > 0);
    }

    private Map<String, Object> awaitDeadLetter(String source, String address, String reason) {
        List<Map<String, Object>> found = new ArrayList<>();
        eventually().until(() -> {
            Optional<Map<String, Object>> row = find(api.deadLetters(), source, address, reason);
            row.ifPresent(found::add);
            return row.isPresent();
        });
        return found.get(0);
    }

    private static Optional<Map<String, Object>> find(
            List<Map<String, Object>> rows, String source, String address, String reason) {
        return rows.stream()
                .filter(d -> source.equals(d.get("source"))
                        && address.equals(d.get("address"))
                        && reason.equals(d.get("reason")))
                .findFirst();
    }

    private double deadLetterCount(String source, String reason) {
        return api.metric("gateway_deadletters_total", Map.of("source", source, "reason", reason));
    }

    private static MqttDevice.Received nextOn(MqttDevice device, String topic) throws InterruptedException {
        MqttDevice.Received received = device.next(10);
        assertNotNull(received, "a reply on " + topic + " within 10 s");
        assertEquals(topic, received.topic());
        return received;
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50));
    }

    private static String scan(String msgId, String barcode, String qty) {
        return "{\"msgId\":\"" + msgId + "\",\"orderId\":\"o-1\",\"barcode\":\"" + barcode + "\",\"qty\":" + qty + "}";
    }

    private static byte[] oversize() {
        byte[] payload = new byte[64 * 1024 + 1];
        Arrays.fill(payload, (byte) ' ');
        byte[] json = utf8(VALID_PRESS);
        System.arraycopy(json, 0, payload, 0, json.length);
        return payload;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
