package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gate passes on to the in-store broker's subscribers, and what it does with what it cannot read, on the
 * trial config (no device logins, so any client may subscribe to {@code store/#}): only publishes the gateway accepted
 * are relayed, nothing under {@code camera/} ever, QoS 2 on a withheld topic is answered, undecodable packets are
 * counted and kept, a CoAP request with an unknown critical option gets 4.02, and data files are private.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class GateRelayTest {
    private static final String STORE = "store/s001/";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private InProcessGateway gateway;
    private ApiClient api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp()));
        api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void a_subscriber_on_store_hash_sees_only_accepted_publishes_and_nothing_from_cameras() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        MqttClient watcher = client("watcher");
        watcher.subscribe(
                STORE + "#",
                1,
                (topic, m) -> seen.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
        MqttClient device = client("any-device");
        try {
            publish(device, STORE + "camera/camera-1/recognize", recognition("nm-1", "RAW-REF-1"), 1);
            publish(device, STORE + "camera/camera-1/recognition/x", recognition("nm-2", "RAW-REF-2"), 1);
            publish(device, STORE + "camera/camera-1/recognition", recognition("ok-3", "RAW-REF-3"), 1);
            // QoS 2 on the withheld recognition topic: answered PUBREC and PUBCOMP by the gate (publish returns).
            publish(device, STORE + "camera/camera-1/recognition", recognition("ok-4", "RAW-REF-4"), 2);
            publish(device, STORE + "pda/pda-1/notify", "{\"fake\":\"member arrived\"}", 1);
            publish(device, STORE + "button/button-1/press", "not json", 1);
            publish(device, STORE + "button/button-2/press", "{\"msgId\":\"relay-ok\",\"press\":\"single\"}", 1);
            // The accepted press is relayed; everything before it on this connection went (or not) before it.
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(s -> s.contains("relay-ok")));
            assertEquals(
                    List.of(STORE + "button/button-2/press {\"msgId\":\"relay-ok\",\"press\":\"single\"}"),
                    seen.stream().filter(s -> !s.startsWith(STORE + "pda/")).toList(),
                    "relayed: " + seen);
            assertTrue(seen.stream().noneMatch(s -> s.contains("RAW-REF") || s.contains("fake")), seen.toString());
        } finally {
            device.disconnect();
            device.close();
            watcher.disconnect();
            watcher.close();
        }
        await().atMost(WAIT)
                .until(() -> api.deadLetters().stream()
                                .filter(d -> String.valueOf(d.get("address")).contains("/camera/camera-1/recogni"))
                                .count()
                        >= 2);
        List<Map<String, Object>> dead = api.deadLetters();
        assertTrue(dead.stream().noneMatch(d -> String.valueOf(d.get("payload")).contains("RAW-REF")), dead.toString());
        assertTrue(
                dead.stream()
                        .anyMatch(d -> (STORE + "pda/pda-1/notify").equals(d.get("address"))
                                && "unknown-topic".equals(d.get("reason"))),
                "a device's fake notice is a dead letter: " + dead);
    }

    @Test
    void a_session_resumed_without_subscribing_again_still_gets_the_copies_its_stored_subscription_asks_for()
            throws Exception {
        String filter = STORE + "button/+/press";
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        persistent.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        MqttClient first = new MqttClient(gateway.env().mqttUrl(), "resumer", new MemoryPersistence());
        first.setTimeToWait(20_000);
        first.connect(persistent);
        first.subscribe(filter, 1);
        first.disconnect();
        first.close();

        List<String> seen = new CopyOnWriteArrayList<>();
        MqttClient resumed = new MqttClient(gateway.env().mqttUrl(), "resumer", new MemoryPersistence());
        resumed.setTimeToWait(20_000);
        resumed.setCallback(new CollectPayloads(seen));
        resumed.connect(persistent);
        MqttClient device = client("resume-device");
        try {
            publish(device, STORE + "button/button-3/press", "{\"msgId\":\"resumed-1\",\"press\":\"single\"}", 1);
            await("the copy reaches the resumed session, which sent no SUBSCRIBE this time")
                    .atMost(WAIT)
                    .until(() -> seen.stream().anyMatch(p -> p.contains("resumed-1")));
        } finally {
            device.disconnect();
            device.close();
            resumed.disconnect();
            resumed.close();
        }
    }

    @Test
    void no_device_may_take_the_gateways_own_client_id_and_replies_keep_flowing() throws Exception {
        MqttClient impostor = new MqttClient(gateway.env().mqttUrl(), "gateway:s001:out", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        org.eclipse.paho.client.mqttv3.MqttException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.eclipse.paho.client.mqttv3.MqttException.class, () -> impostor.connect(o));
        assertEquals(org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_INVALID_CLIENT_ID, e.getReasonCode());
        impostor.close(true);
        java.util.concurrent.BlockingQueue<String> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        MqttClient pda = client("pda-2");
        pda.subscribe(
                STORE + "pda/pda-2/reply",
                1,
                (topic, m) -> replies.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        publish(
                pda,
                STORE + "pda/pda-2/scan",
                "{\"msgId\":\"own-id-1\",\"orderId\":\"o-1\",\"barcode\":" + "\"4006381333931\",\"qty\":1}",
                1);
        String reply = replies.poll(20, TimeUnit.SECONDS);
        assertTrue(reply != null && reply.contains("own-id-1"), "the gateway's publisher still answers: " + reply);
        pda.disconnect();
        pda.close();
    }

    @Test
    void an_oversize_or_malformed_publish_is_counted_kept_and_closes_only_its_connection() throws Exception {
        double malformed = badPackets("malformed");
        double oversize = badPackets("oversize");
        try (Socket s = connectRaw("raw-malformed")) {
            // PUBLISH QoS 0 on "store/s001/+/x": a wildcard in a topic name is a protocol error.
            s.getOutputStream()
                    .write(packet(0x30, concat(string(STORE + "+/x"), "{}".getBytes(StandardCharsets.UTF_8))));
            assertEquals(-1, s.getInputStream().read(), "the connection is closed");
        }
        try (Socket s = connectRaw("raw-oversize")) {
            // A PUBLISH announcing 3 MiB: refused from its header on, over EmbeddedBroker.MAX_MESSAGE_BYTES.
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0xC0, 0x01});
            boolean closedWhileWriting = false;
            try {
                out.write(string(STORE + "button/button-1/press"));
                out.write(new byte[64 * 1024]);
            } catch (java.net.SocketException e) {
                // the gate may close as soon as it has read the header: the refusal this test wants
                closedWhileWriting = true;
            }
            assertTrue(closedWhileWriting || closedOrReset(s), "the connection is closed");
        }
        await().atMost(WAIT)
                .until(() -> badPackets("malformed") >= malformed + 1 && badPackets("oversize") >= oversize + 1);
        await().atMost(WAIT)
                .until(() -> api.deadLetters().stream()
                        .anyMatch(d -> "too-large".equals(d.get("reason"))
                                && String.valueOf(d.get("address")).startsWith("mqtt:")));
        // The gate still serves everyone else.
        MqttClient ok = client("after-bad");
        publish(ok, STORE + "button/button-3/press", "{\"msgId\":\"after-bad\",\"press\":\"single\"}", 1);
        ok.disconnect();
        ok.close();
    }

    @Test
    void a_coap_request_with_an_unknown_critical_option_gets_4_02_and_is_not_acted_on() throws Exception {
        Process p = new ProcessBuilder(
                        "coap-client-notls",
                        "-m",
                        "post",
                        "-O",
                        "65001,x",
                        "-B",
                        "20",
                        "-e",
                        "{\"msgId\":\"crit-1\",\"press\":\"single\"}",
                        "coap://127.0.0.1:" + gateway.env().coapPort() + "/button/button-4/press")
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(output.contains("4.02"), output);
        assertTrue(api.events().stream()
                .noneMatch(e -> "crit-1".equals(e.at("/data/msgId").asText())));
    }

    @Test
    void data_files_are_the_gateway_users_alone_and_the_documented_backup_is_too() throws Exception {
        Path data = gateway.env().dataDir();
        Set<PosixFilePermission> open = Set.of(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_WRITE);
        for (String name : List.of("gateway.db", "gateway.db-wal", "gateway.db-shm")) {
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(name))),
                    name);
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                assertTrue(mode.stream().noneMatch(open::contains), f + " is " + PosixFilePermissions.toString(mode));
            }
        }
        // docs/operations.md, Backups: the command as written there.
        Path backup = data.getParent().resolve("backup.db");
        Process p = new ProcessBuilder("sh", "-c", "umask 077 && sqlite3 gateway.db \".backup '" + backup + "'\"")
                .directory(data.toFile())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        String ops = Files.readString(Path.of("../docs/operations.md"));
        assertTrue(ops.contains("umask 077 && sqlite3"), "the documented command is the tested one");
    }

    private double badPackets(String reason) {
        return api.metric("gateway_mqtt_bad_packets_total", Map.of("reason", reason));
    }

    private MqttClient client(String id) throws Exception {
        MqttClient c = new MqttClient(gateway.env().mqttUrl(), id, new MemoryPersistence());
        c.setTimeToWait(20_000);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        c.connect(o);
        return c;
    }

    private static void publish(MqttClient c, String topic, String payload, int qos) throws Exception {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        c.publish(topic, m);
    }

    private static String recognition(String msgId, String ref) {
        return "{\"msgId\":\"" + msgId + "\",\"method\":\"qr\",\"memberRef\":\"" + ref + "\",\"confidence\":0.9}";
    }

    /**
     * Whether the gate closed the connection: an end of stream, or a reset when the gate closed it with our unread
     * bytes still in its receive buffer (the kernel then answers with RST, not FIN).
     */
    private static boolean closedOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** A raw MQTT 3.1.1 connection, CONNACK read. */
    private Socket connectRaw(String clientId) throws Exception {
        Socket s = new Socket("127.0.0.1", gateway.env().mqttPort());
        s.setSoTimeout(20_000);
        byte[] variable = {0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C};
        s.getOutputStream().write(packet(0x10, concat(variable, string(clientId))));
        InputStream in = s.getInputStream();
        byte[] connack = in.readNBytes(4);
        assertEquals(0x20, connack[0] & 0xff);
        assertEquals(0, connack[3], "accepted");
        return s;
    }

    private static byte[] packet(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) (b.length >> 8), (byte) b.length}, b);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
