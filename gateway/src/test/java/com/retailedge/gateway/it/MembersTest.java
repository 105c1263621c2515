package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.app.Gateway;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.config.ConfigException;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Member recognition against a cache the cloud sent with a real {@code members} command, cameras on real MQTT:
 * a hit starts one visit (one {@code retail.member.recognized}, one staff notice, L1 listed first), a repeat
 * within the visit window is the same visit, an unknown reference is counted and not forwarded, a confidence
 * below the method's threshold counts for nothing, a member without consent is neither forwarded nor notified,
 * withdrawing consent removes the member's references at once, recognition works with the cloud away, and the
 * gateway refuses to start with another key.
 */
@Timeout(120)
@Tag("slow")
class MembersTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CAMERA = "store/s001/camera/camera-1/recognition";

    @TempDir
    Path dir;

    @Test
    void recognitions_are_matched_per_method_threshold_into_visits_with_consent() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector events = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), cloud.url())
                        .set("GATEWAY_MEMBERS_REF_KEY", "members-test-key-0123456789abcdefghij")
                        .set("GATEWAY_MEMBERS_FACE_CONFIDENCE", "0.9"));
                MqttDevice pda = new MqttDevice(gateway.env().mqttUrl()).subscribe("store/s001/pda/pda-3/notify");
                MqttDevice camera = new MqttDevice(gateway.env().mqttUrl())) {
            GatewayEnv env = gateway.env();
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            await().atMost(WAIT)
                    .until(() -> "CONNECTED"
                            .equals(api.json("/health").at("/cloud/state").asText()));
            MqttClient backend = new MqttClient(cloud.url(), "backend", new MemoryPersistence());
            backend.connect(CloudCommands.backendOptions());
            members(backend, "m-1", """
                    {"memberId": "gold", "tier": "L2", "consent": true, "greeting": "Ms Rossi", "notes": "oat milk",
                     "refs": [{"method": "card", "ref": "CARD-0001"}, {"method": "face", "ref": "FACE-0001"}]},
                    {"memberId": "shy", "tier": "L1", "consent": false, "refs": [{"method": "qr", "ref": "QR-0002"}]},
                    {"memberId": "vip", "tier": "L1", "consent": true, "refs": [{"method": "card", "ref": "CARD-0003"}]},
                    {"memberId": "late", "tier": "L3", "consent": true, "refs": [{"method": "qr", "ref": "QR-0004"}]}""");
            await().atMost(WAIT).until(() -> count(env, "SELECT COUNT(*) FROM member") == 4);
            assertEquals(4, count(env, "SELECT COUNT(*) FROM member_ref"), "the refs of the members with consent only");
            assertEquals(0, count(env, "SELECT COUNT(*) FROM member_ref WHERE member_id = 'shy'"));

            recognise(camera, "r-1", "card", "CARD-0001", 0.95); // hit: a new visit
            recognise(camera, "r-2", "face", "FACE-0001", 0.97); // the same member again: same visit
            recognise(camera, "r-3", "card", "CARD-9999", 0.99); // unknown
            recognise(camera, "r-4", "card", "CARD-0003", 0.20); // below the card threshold
            recognise(camera, "r-5", "face", "FACE-0001", 0.85); // below the face threshold
            recognise(camera, "r-6", "qr", "QR-0002", 0.99); // no consent: nothing kept to match
            recognise(camera, "r-7", "card", "CARD-0003", 0.60); // hit: the low-confidence r-4 started nothing

            await().atMost(WAIT).until(() -> events.msgIds().contains("r-7"));
            List<JsonNode> recognised = events.distinctEvents().stream()
                    .filter(e ->
                            "retail.member.recognized".equals(e.path("type").asText()))
                    .toList();
            assertEquals(
                    List.of("r-1", "r-7"),
                    recognised.stream().map(e -> e.at("/data/msgId").asText()).toList());
            JsonNode gold = recognised.get(0);
            assertEquals("camera-1", gold.get("subject").asText());
            assertEquals("gold", gold.at("/data/memberId").asText());
            assertEquals("L2", gold.at("/data/tier").asText());
            assertEquals("card", gold.at("/data/method").asText());
            assertFalse(gold.at("/data/visitId").asText().isEmpty());
            assertFalse(gold.toString().contains("CARD-0001"), "no raw reference in the event");
            assertEquals("vip", recognised.get(1).at("/data/memberId").asText());

            JsonNode first = ApiClient.parse(pda.next(20).payload());
            assertEquals("member", first.get("kind").asText());
            assertEquals("gold", first.get("memberId").asText());
            assertEquals("L2", first.get("tier").asText());
            assertEquals("Ms Rossi", first.get("greeting").asText());
            assertEquals("oat milk", first.get("notes").asText());
            assertEquals(
                    "vip",
                    ApiClient.parse(pda.next(20).payload()).get("memberId").asText());
            ApiClient admin = new ApiClient(env.httpPort(), GatewayEnv.ADMIN_TOKEN);
            List<String> open =
                    admin.json("/api/v1/notices?state=open").get("notices").findValuesAsText("memberId");
            assertEquals(List.of("vip", "gold"), open, "the L1 member first");

            JsonNode summary = api.json("/api/v1/summary").get("members");
            assertEquals(2, summary.get("visits").asInt(), summary.toString());
            assertEquals(1, summary.at("/visitsByTier/L1").asInt());
            assertEquals(1, summary.at("/visitsByTier/L2").asInt());
            assertEquals(2, summary.get("unknownRefs").asInt(), "CARD-9999 and the no-consent QR-0002");
            assertEquals(2.0, api.metric("gateway_member_recognitions_total", Map.of("outcome", "unknown")), 0.0);
            assertEquals(
                    2.0, api.metric("gateway_member_recognitions_total", Map.of("outcome", "low-confidence")), 0.0);
            assertEquals(1.0, api.metric("gateway_member_recognitions_total", Map.of("outcome", "same-visit")), 0.0);

            // Consent withdrawn: the references go at once, and the member is no longer recognised.
            members(backend, "m-2", "{\"memberId\": \"gold\", \"tier\": \"L2\", \"consent\": false}");
            await().atMost(WAIT)
                    .until(() -> count(env, "SELECT COUNT(*) FROM member_ref WHERE member_id = 'gold'") == 0);
            recognise(camera, "r-8", "card", "CARD-0001", 0.99);
            await().atMost(WAIT)
                    .until(() -> api.json("/api/v1/summary")
                                    .at("/members/unknownRefs")
                                    .asInt()
                            == 3);
            backend.disconnect();
            backend.close();
            assertTrue(events.distinctEvents().stream()
                    .noneMatch(e -> "r-8".equals(e.at("/data/msgId").asText())));

            // Offline: the cache alone recognises; the event waits in the outbox and staff are told at once.
            cloud.stop();
            recognise(camera, "r-9", "qr", "QR-0004", 0.99);
            JsonNode late = ApiClient.parse(pda.next(20).payload());
            assertEquals("late", late.get("memberId").asText());
            await().atMost(WAIT)
                    .until(() -> api.events().stream()
                            .anyMatch(e -> "r-9".equals(e.at("/data/msgId").asText())
                                    && "late".equals(e.at("/data/memberId").asText())));
        }
        // The cache holds references hashed with the key: another key, or none, would silently match nothing.
        for (String key : new String[] {"another-key-0123456789abcdefghijklmnop", ""}) {
            Gateway restarted = new Gateway(new ConfigLoader(new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:1")
                            .set("GATEWAY_MEMBERS_REF_KEY", key)
                            .asMap())
                    .load(null));
            try {
                ConfigException refused = assertThrows(ConfigException.class, restarted::start);
                assertTrue(refused.getMessage().contains("members.ref-key"), refused.getMessage());
            } finally {
                restarted.close();
            }
        }
    }

    private static void recognise(MqttDevice camera, String msgId, String method, String ref, double confidence)
            throws Exception {
        camera.publish(
                CAMERA,
                "{\"msgId\":\"" + msgId + "\",\"method\":\"" + method + "\",\"memberRef\":\"" + ref
                        + "\",\"confidence\":" + confidence + "}");
    }

    private static void members(MqttClient backend, String commandId, String entries) throws Exception {
        CloudCommands.send(backend, "members", "{\"commandId\":\"" + commandId + "\",\"members\":[" + entries + "]}");
    }

    static long count(GatewayEnv env, String sql) throws Exception {
        Path db = Path.of(env.asMap().get("GATEWAY_DATA_DIR")).resolve("gateway.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.getLong(1);
        }
    }
}
