package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.security.PasswordHash;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mqtt.auth: required} on the embedded broker's device port: a CONNECT needs the device id and its password
 * (else CONNACK 5, not authorized), and the ACL keeps each device to its own topics. Real Paho clients and
 * mosquitto_pub/mosquitto_sub, a real gateway, real SQLite.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class MqttAuthTest {
    private static final String STORE = "store/" + GatewayEnv.STORE + "/";
    private static final Map<String, String> PASSWORDS =
            Map.of("pda-1", "pda-1-password", "pda-2", "pda-2-password", "button-1", "button one pass");

    private InProcessGateway gateway;
    private ApiClient api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path credentials = dir.resolve("devices.passwd");
        StringBuilder lines = new StringBuilder("# test devices\n");
        // Few iterations keep the test quick; the format and check are the same as with the default.
        PASSWORDS.forEach((id, pw) -> lines.append(id)
                .append(':')
                .append(PasswordHash.create(pw.toCharArray(), 1000).encoded())
                .append('\n'));
        Files.writeString(credentials, lines);
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp())
                .set("GATEWAY_MQTT_AUTH", "required")
                .set("GATEWAY_MQTT_CREDENTIALS_FILE", credentials.toString()));
        api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void a_wrong_missing_or_unknown_password_gets_connack_not_authorized() {
        double refused = api.metric("gateway_mqtt_auth_refused_total", Map.of("packet", "connect"));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refusedCode("pda-1", "pda-2-password"));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refusedCode("pda-1", null));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refusedCode(null, null));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refusedCode("pda-7", "pda-1-password"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.metric("gateway_mqtt_auth_refused_total", Map.of("packet", "connect")) >= refused + 3);
    }

    @Test
    void mosquitto_clients_with_the_right_password_are_taken_and_with_a_wrong_one_refused() throws Exception {
        String msgId = "auth-cli-" + UUID.randomUUID();
        String topic = STORE + "button/button-1/press";
        Result ok = run(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                port(),
                "-q",
                "1",
                "-u",
                "button-1",
                "-P",
                PASSWORDS.get("button-1"),
                "-t",
                topic,
                "-m",
                "{\"msgId\":\"" + msgId + "\",\"press\":\"single\"}");
        assertEquals(0, ok.code, ok.output);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.events().stream()
                        .anyMatch(e -> e.at("/data/msgId").asText().equals(msgId)));

        Result bad = run(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                port(),
                "-q",
                "1",
                "-u",
                "button-1",
                "-P",
                "guess",
                "-t",
                topic,
                "-m",
                "{\"msgId\":\"never\",\"press\":\"single\"}");
        assertNotEquals(0, bad.code);
        assertTrue(bad.output.toLowerCase().contains("not authori"), bad.output);

        Result sub = run(
                "mosquitto_sub",
                "-h",
                "127.0.0.1",
                "-p",
                port(),
                "-u",
                "pda-2",
                "-P",
                "wrong",
                "-t",
                STORE + "pda/pda-2/reply",
                "-C",
                "1",
                "-W",
                "10");
        assertNotEquals(0, sub.code);
        assertTrue(sub.output.toLowerCase().contains("not authori"), sub.output);
    }

    @Test
    void a_device_publishes_on_its_own_topics_and_hears_its_own_replies() throws Exception {
        try (Device pda = new Device("pda-1", PASSWORDS.get("pda-1"))) {
            assertEquals(1, pda.subscribe(STORE + "pda/pda-1/reply"));
            pda.publish(
                    STORE + "pda/pda-1/scan",
                    "{\"msgId\":\"own-1\",\"orderId\":\"o-1\",\"barcode\":\"4006381333931\"," + "\"qty\":1}");
            MqttMessageText reply = pda.next(20);
            assertNotNull(reply, "a reply on the pda's own topic");
            assertEquals("own-1", ApiClient.parse(reply.payload).get("msgId").asText());
        }
    }

    @Test
    void a_publish_on_another_devices_topic_is_acknowledged_but_dropped_counted_and_dead_lettered() throws Exception {
        double refused = api.metric("gateway_mqtt_auth_refused_total", Map.of("packet", "publish"));
        String msgId = "spoof-" + UUID.randomUUID();
        String topic = STORE + "pda/pda-2/scan";
        try (Device pda = new Device("pda-1", PASSWORDS.get("pda-1"))) {
            // Returns only after the PUBACK: MQTT 3.1.1 has no refusal for a publish.
            pda.publish(
                    topic, "{\"msgId\":\"" + msgId + "\",\"orderId\":\"o-1\",\"barcode\":\"4006381333931\",\"qty\":1}");
            pda.publish(STORE + "button/button-1/press", "{\"msgId\":\"" + msgId + "-b\",\"press\":\"single\"}");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.deadLetters().stream()
                        .anyMatch(d -> "forbidden".equals(d.get("reason"))
                                && topic.equals(d.get("address"))
                                && String.valueOf(d.get("payload")).contains(msgId)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.metric("gateway_mqtt_auth_refused_total", Map.of("packet", "publish")) >= refused + 2);
        List<JsonNode> events = api.events();
        assertTrue(events.stream().noneMatch(e -> e.at("/data/msgId").asText().startsWith(msgId)), "nothing acted on");
    }

    @Test
    void a_qos_2_publish_on_another_devices_topic_is_answered_pubrec_and_pubcomp_and_dead_lettered() throws Exception {
        String msgId = "spoof-q2-" + UUID.randomUUID();
        try (Device pda = new Device("pda-1", PASSWORDS.get("pda-1"))) {
            MqttMessage message = new MqttMessage(
                    ("{\"msgId\":\"" + msgId + "\",\"press\":\"single\"}").getBytes(StandardCharsets.UTF_8));
            message.setQos(2);
            // Returns only after PUBCOMP; the connection stays up.
            pda.client.publish(STORE + "button/button-1/press", message);
            assertTrue(pda.client.isConnected());
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.deadLetters().stream()
                        .anyMatch(d -> "forbidden".equals(d.get("reason"))
                                && String.valueOf(d.get("payload")).contains(msgId)));
    }

    @Test
    void a_subscription_to_another_devices_replies_gets_suback_failure_and_nothing_arrives() throws Exception {
        try (Device spy = new Device("pda-1", PASSWORDS.get("pda-1"));
                Device pda2 = new Device("pda-2", PASSWORDS.get("pda-2"))) {
            assertEquals(0x80, spy.subscribe(STORE + "pda/pda-2/reply"));
            assertEquals(0x80, spy.subscribe(STORE + "pda/+/reply"));
            assertEquals(1, pda2.subscribe(STORE + "pda/pda-2/reply"));
            pda2.publish(
                    STORE + "pda/pda-2/scan",
                    "{\"msgId\":\"p2-1\",\"orderId\":\"o-2\",\"barcode\":\"4006381333931\"," + "\"qty\":1}");
            assertNotNull(pda2.next(20), "pda-2 hears its reply");
            assertNull(spy.next(2), "pda-1 hears nothing of pda-2's");
        }
    }

    @Test
    void a_will_on_another_devices_topic_is_refused_at_connect() {
        MqttConnectOptions options = options("pda-1", PASSWORDS.get("pda-1"));
        options.setWill(
                STORE + "pda/pda-2/status",
                "{\"msgId\":\"w\",\"state\":\"off\"}".getBytes(StandardCharsets.UTF_8),
                1,
                false);
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refusedCode(options));
    }

    private String port() {
        return Integer.toString(gateway.env().mqttPort());
    }

    private int refusedCode(String user, String password) {
        return refusedCode(options(user, password));
    }

    private int refusedCode(MqttConnectOptions options) {
        MqttSecurityException e = assertThrows(MqttSecurityException.class, () -> {
            MqttClient client =
                    new MqttClient(gateway.env().mqttUrl(), "t-" + UUID.randomUUID(), new MemoryPersistence());
            try {
                client.connect(options);
            } finally {
                client.close(true);
            }
        });
        return e.getReasonCode();
    }

    private static MqttConnectOptions options(String user, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        // Else Paho retries a refused 3.1.1 CONNECT as MQTT 3.1, whose 23-character client id limit ours exceed.
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (user != null) {
            options.setUserName(user);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        return options;
    }

    private record Result(int code, String output) {}

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record MqttMessageText(String topic, String payload) {}

    /** A device logged in with its id and password. */
    private final class Device implements AutoCloseable {
        private final MqttClient client;
        private final BlockingQueue<MqttMessageText> received = new LinkedBlockingQueue<>();

        Device(String id, String password) throws MqttException {
            // With device logins the client id is the device id (or empty): the session is the device's own.
            client = new MqttClient(gateway.env().mqttUrl(), id, new MemoryPersistence());
            client.setTimeToWait(20_000);
            client.connect(options(id, password));
        }

        /** Returns the granted QoS, 0x80 for a refusal. */
        int subscribe(String filter) {
            try {
                IMqttToken token = client.subscribeWithResponse(
                        filter,
                        1,
                        (topic, m) -> received.add(
                                new MqttMessageText(topic, new String(m.getPayload(), StandardCharsets.UTF_8))));
                return token.getGrantedQos()[0];
            } catch (MqttException e) {
                return e.getReasonCode();
            }
        }

        void publish(String topic, String payload) throws MqttException {
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish(topic, message);
        }

        MqttMessageText next(long seconds) throws InterruptedException {
            return received.poll(seconds, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws MqttException {
            try {
                if (client.isConnected()) {
                    client.disconnect(2000);
                }
            } finally {
                client.close(true);
            }
        }
    }
}
