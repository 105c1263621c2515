package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No raw member reference is kept or sent anywhere: after a members command (accepted and rejected),
 * recognitions that hit, miss, fall below the threshold, fail validation, are not JSON, come from an unknown
 * camera or are published retained while a persistent-session subscriber is away, every byte of every file
 * under the gateway's data directory (SQLite database, -wal, -shm, the embedded broker's store), every cloud
 * event delivered to a real Mosquitto, the REST answers and the gateway's log are searched for each reference.
 */
@Timeout(120)
@Tag("slow")
class MemberPrivacyTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CAMERA = "store/s001/camera/camera-2/recognition";

    @TempDir
    Path dir;

    @Test
    void no_raw_member_reference_is_stored_logged_or_forwarded() throws Exception {
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String card = "RAWCARD" + tag;
        String face = "RAWFACE" + tag;
        String noConsent = "RAWQR" + tag;
        String unknown = "RAWUNKNOWN" + tag;
        String invalid = "RAWINVALID" + tag;
        String notJson = "RAWNOTJSON" + tag;
        String inRejectedCommand = "RAWCOMMAND" + tag;
        String retained = "RAWRETAINED" + tag;
        String unknownCamera = "RAWCAMERA" + tag;
        List<String> refs =
                List.of(card, face, noConsent, unknown, invalid, notJson, inRejectedCommand, retained, unknownCamera);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, log), true, UTF_8));
        Path dataDir = dir.resolve("gateway");
        List<String> cloudEvents;
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector events = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dataDir, cloud.url())
                        .set("GATEWAY_MEMBERS_REF_KEY", "privacy-test-key-0123456789abcdefghij"))) {
            GatewayEnv env = gateway.env();
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.ADMIN_TOKEN);
            await().atMost(WAIT)
                    .until(() -> "CONNECTED"
                            .equals(api.json("/health").at("/cloud/state").asText()));

            // A device with a persistent session on everything, away while the recognitions come in: the broker
            // would queue a relayed copy for it under data/broker.
            MqttClient snoop = new MqttClient(env.mqttUrl(), "snoop", new MemoryPersistence());
            MqttConnectOptions persistent = new MqttConnectOptions();
            persistent.setCleanSession(false);
            snoop.connect(persistent);
            snoop.subscribe("store/s001/#", 1);
            snoop.disconnect();

            MqttClient backend = new MqttClient(cloud.url(), "backend", new MemoryPersistence());
            backend.connect(CloudCommands.backendOptions());
            publish(
                    backend,
                    "retail/s001/commands/members",
                    "{\"commandId\":\"p-1\",\"members\":["
                            + "{\"memberId\":\"gold-member\",\"tier\":\"L1\",\"consent\":true,\"refs\":["
                            + "{\"method\":\"card\",\"ref\":\"" + card + "\"},{\"method\":\"face\",\"ref\":\"" + face
                            + "\"}]},"
                            + "{\"memberId\":\"private-member\",\"tier\":\"L3\",\"consent\":false,\"refs\":["
                            + "{\"method\":\"qr\",\"ref\":\"" + noConsent + "\"}]}]}",
                    false);
            publish(
                    backend,
                    "retail/s001/commands/members",
                    "{\"commandId\":\"p-2\",\"members\":["
                            + "{\"memberId\":\"bad-tier\",\"tier\":\"L9\",\"consent\":true,\"refs\":["
                            + "{\"method\":\"card\",\"ref\":\"" + inRejectedCommand + "\"}]}]}",
                    false);
            backend.disconnect();
            backend.close();
            await().atMost(WAIT).until(() -> MembersTest.count(env, "SELECT COUNT(*) FROM member_ref") == 2);

            MqttDevice listener = new MqttDevice(env.mqttUrl()).subscribe("store/s001/#");
            try (MqttDevice camera = new MqttDevice(env.mqttUrl())) {
                camera.publish(CAMERA, recognition("p-hit", "card", card, "0.99"));
                camera.publish(CAMERA, recognition("p-low", "face", face, "0.10"));
                camera.publish(CAMERA, recognition("p-consent", "qr", noConsent, "0.99"));
                camera.publish(CAMERA, recognition("p-unknown", "card", unknown, "0.99"));
                camera.publish(CAMERA, recognition("p-invalid", "card", invalid, "7"));
                camera.publish(CAMERA, "{\"msgId\":\"p-notjson\",\"memberRef\":\"" + notJson + "\",");
                camera.publish(CAMERA, "{\"msgId\":\"p-bare\",\"memberRef\":" + notJson + "}");
                camera.publish(
                        "store/s001/camera/camera-99/recognition", recognition("p-cam", "card", unknownCamera, "0.9"));
                // Relayed copies keep the order of one connection: once this is heard, so would be the above.
                camera.publish("store/s001/pda/pda-5/status", "{\"msgId\":\"marker\",\"state\":\"busy\"}");
            }
            MqttClient retaining = new MqttClient(env.mqttUrl(), "retaining", new MemoryPersistence());
            retaining.connect();
            publish(retaining, CAMERA, recognition("p-retained", "card", retained, "0.99"), true);
            retaining.disconnect();
            retaining.close();

            await().atMost(WAIT)
                    .until(() -> events.msgIds().contains("p-hit")
                            && events.distinctEvents().stream()
                                    .anyMatch(e -> "retail.command.rejected"
                                            .equals(e.path("type").asText())));
            await().atMost(WAIT).until(() -> api.deadLetters().size() >= 4);
            await().atMost(WAIT).until(() -> api.metric("gateway_member_recognitions_total", Map.of()) >= 4);
            // Another in-store subscriber hears the staff notice, never a recognition.
            List<String> heard = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                MqttDevice.Received r = listener.next(1);
                if (r != null) {
                    heard.add(r.topic() + " " + r.payload());
                }
                return heard.stream().anyMatch(h -> h.contains("/notify") && h.contains("gold-member"))
                        && heard.stream().anyMatch(h -> h.contains("\"marker\""));
            });
            listener.close();
            assertTrue(
                    heard.stream().noneMatch(h -> h.contains("/recognition ")),
                    "recognitions are not relayed: " + heard);
            assertNoneContains("the in-store broker's traffic", heard, refs);
            List<Map<String, Object>> dead = api.deadLetters();
            assertTrue(
                    dead.stream()
                            .anyMatch(d -> String.valueOf(d.get("payload")).contains("\"memberRef\":\"[redacted]\"")),
                    "the invalid recognition is kept, with its reference redacted: " + dead);

            List<String> answers = List.of(
                    api.get("/api/v1/deadletters?limit=1000").body(),
                    api.get("/api/v1/events?limit=1000").body(),
                    api.get("/api/v1/notices?state=open").body(),
                    api.get("/api/v1/summary").body(),
                    api.get("/metrics", null).body());
            assertNoneContains("REST answers", answers, refs);
            // The dashboard needs no token: it shows that a member arrived, never who.
            String snapshot = api.get("/dashboard/snapshot", null).body();
            assertTrue(
                    api.get("/api/v1/notices?state=open").body().contains("gold-member"),
                    "positive control: the member's notice is open");
            assertTrue(snapshot.contains("\"kind\":\"member\""), "the dashboard shows the member notice: " + snapshot);
            assertFalse(snapshot.contains("gold-member"), "the tokenless dashboard names no member: " + snapshot);
            assertNoneContains("the dashboard", List.of(snapshot), refs);
            // The scan sees what is there: the member id is in the database, only the reference is not.
            assertTrue(containsAnywhere(dataDir, "gold-member"), "positive control: the scan reads the files");
            assertNoneContainsFiles(dataDir, refs);
            cloudEvents = events.deliveries().stream().map(Object::toString).toList();
        } finally {
            System.setErr(originalErr);
        }
        assertTrue(cloudEvents.stream().anyMatch(e -> e.contains("gold-member")), "positive control: events arrived");
        assertNoneContains("cloud events", cloudEvents, refs);
        // Stopped, the WAL is checkpointed into the database file: scan again.
        assertNoneContainsFiles(dataDir, refs);
        String logText = log.toString(UTF_8);
        assertTrue(logText.contains("applied members command p-1"), "positive control: the log was captured");
        assertNoneContains("the log", List.of(logText), refs);
    }

    private static String recognition(String msgId, String method, String ref, String confidence) {
        return "{\"msgId\":\"" + msgId + "\",\"method\":\"" + method + "\",\"memberRef\":\"" + ref
                + "\",\"confidence\":" + confidence + "}";
    }

    private static void publish(MqttClient client, String topic, String json, boolean retained) throws Exception {
        MqttMessage message = new MqttMessage(json.getBytes(UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        client.publish(topic, message);
    }

    private static void assertNoneContains(String where, List<String> texts, List<String> refs) {
        for (String text : texts) {
            for (String ref : refs) {
                assertFalse(text.contains(ref), where + " hold the raw reference " + ref);
            }
        }
    }

    private static void assertNoneContainsFiles(Path root, List<String> refs) throws IOException {
        List<Path> files = files(root);
        assertFalse(files.isEmpty());
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("gateway.db")));
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (String ref : refs) {
                assertEquals(-1, indexOf(bytes, ref.getBytes(UTF_8)), file + " holds the raw reference " + ref);
                assertEquals(
                        -1,
                        indexOf(bytes, ref.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)),
                        file + " holds the raw reference " + ref + " as UTF-16");
            }
        }
    }

    private static boolean containsAnywhere(Path root, String text) throws IOException {
        for (Path file : files(root)) {
            if (indexOf(Files.readAllBytes(file), text.getBytes(UTF_8)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Copies what the gateway logs to stderr into a buffer the test can search. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }
    }
}
