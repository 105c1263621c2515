package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cloud pulls over the MQTT link it already has (CONTRACT §4), for a gateway behind a shop's NAT: a
 * {@code summary} command is answered by {@code retail.summary.reported} holding the REST summary of that window,
 * a {@code resend} sends stored events again in order, and a heartbeat goes up every {@code cloud.heartbeat}
 * while the link is up, and none while it is down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("slow")
class CloudPullTest {
    @TempDir
    Path dir;

    @Test
    void given_presses_when_the_cloud_asks_for_a_summary_then_it_gets_the_rest_summary_of_that_window()
            throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(env(cloud).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"));
                CoapDevice coap = new CoapDevice(gateway.env().coapPort())) {
            Instant from = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
            for (int i = 1; i <= 5; i++) {
                coap.press("button-" + i);
            }
            await("five presses at the cloud")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> ofType(collector, "retail.button.pressed").size() == 5);
            // The reported event itself comes after the window, so both summaries count the same events.
            Instant to = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            CloudCommands.send(
                    cloud, "summary", "{\"commandId\":\"sum-1\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
            JsonNode reported = await("the summary is reported")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> only(collector, "retail.summary.reported"), r -> r != null);
            JsonNode data = reported.get("data");
            assertEquals("sum-1", data.get("commandId").asText());
            assertEquals("sum-1", reported.get("subject").asText());
            JsonNode rest = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN)
                    .json("/api/v1/summary?from=" + from + "&to=" + to);
            JsonNode summary = data.get("summary");
            assertEquals(from.toString(), summary.get("from").asText());
            assertEquals(to.toString(), summary.get("to").asText());
            assertEquals(5, summary.path("events").path("retail.button.pressed").asLong());
            assertEquals(rest.get("events"), summary.get("events"), "the same counts as GET /api/v1/summary");
            List<String> restKeys = fieldNames(rest);
            assertEquals(restKeys, fieldNames(summary), "the same parts as GET /api/v1/summary");

            // Without a window: the last day, as the REST summary.
            CloudCommands.send(cloud, "summary", "{\"commandId\":\"sum-2\"}");
            await("the default window is reported")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> ofType(collector, "retail.summary.reported").size() == 2);
            JsonNode second = ofType(collector, "retail.summary.reported")
                    .get(1)
                    .path("data")
                    .path("summary");
            assertEquals(
                    Duration.ofDays(1),
                    Duration.between(
                            Instant.parse(second.get("from").asText()),
                            Instant.parse(second.get("to").asText())));

            // The same commandId again is applied once; a reversed window is refused and says why.
            CloudCommands.send(cloud, "summary", "{\"commandId\":\"sum-1\"}");
            CloudCommands.send(
                    cloud, "summary", "{\"commandId\":\"sum-3\",\"from\":\"" + to + "\",\"to\":\"" + from + "\"}");
            JsonNode rejected = await("the reversed window is refused")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> only(collector, "retail.command.rejected"), r -> r != null);
            assertEquals("sum-3", rejected.path("data").path("commandId").asText());
            assertTrue(
                    rejected.path("data").path("detail").asText().contains("'from' must be before 'to'"),
                    rejected.toString());
            assertEquals(2, ofType(collector, "retail.summary.reported").size(), "sum-1 was answered once");
        }
    }

    @Test
    void given_acknowledged_events_when_the_cloud_sends_resend_then_they_come_again_in_order() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(env(cloud).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"));
                CoapDevice coap = new CoapDevice(gateway.env().coapPort())) {
            for (int i = 1; i <= 8; i++) {
                coap.press("button-" + i);
            }
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            await("the cloud acknowledged all eight")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> collector.distinctCount() == 8
                            && api.json("/health")
                                            .path("outbox")
                                            .path("pending")
                                            .asLong()
                                    == 0);
            List<JsonNode> first = collector.deliveries();

            CloudCommands.send(cloud, "resend", "{\"commandId\":\"rs-1\",\"fromSequence\":5}");
            await("sequences 5..8 arrive again")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> collector.deliveries().size() >= first.size() + 4);
            List<JsonNode> again = collector.deliveries().subList(first.size(), first.size() + 4);
            for (int i = 0; i < 4; i++) {
                long sequence = 5 + i;
                JsonNode original = first.stream()
                        .filter(e -> e.get("sequence").asLong() == sequence)
                        .findFirst()
                        .orElseThrow();
                assertEquals(original, again.get(i), "sequence " + sequence + " again, as stored, in order");
            }

            CloudCommands.send(cloud, "resend", "{\"commandId\":\"rs-2\",\"fromSequence\":999}");
            JsonNode rejected = await("a sequence not stored is refused")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> only(collector, "retail.command.rejected"), r -> r != null);
            assertEquals("rs-2", rejected.path("data").path("commandId").asText());
            assertTrue(rejected.path("data").path("detail").asText().contains("the last is 8"), rejected.toString());
        }
    }

    @Test
    void given_a_one_second_heartbeat_then_heartbeats_go_up_on_their_period_only_while_the_link_is_up()
            throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(env(cloud).set("GATEWAY_CLOUD_HEARTBEAT", "1s"));
                CoapDevice coap = new CoapDevice(gateway.env().coapPort())) {
            coap.press("button-1");
            await("four heartbeats")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> ofType(collector, "retail.gateway.heartbeat").size() >= 4);
            List<JsonNode> beats = ofType(collector, "retail.gateway.heartbeat");
            for (int i = 1; i < beats.size(); i++) {
                Duration gap = Duration.between(
                        Instant.parse(beats.get(i - 1).get("time").asText()),
                        Instant.parse(beats.get(i).get("time").asText()));
                assertTrue(gap.toMillis() >= 500 && gap.toMillis() <= 5000, "one per second, not " + gap);
            }
            JsonNode data = beats.get(beats.size() - 1).get("data");
            assertEquals(1, data.path("devicesOnline").path("button").asLong(), data.toString());
            assertEquals(0, data.path("devicesOnline").path("pda").asLong(), data.toString());
            assertTrue(
                    data.path("outbox").has("pending") && data.path("outbox").has("oldestPendingAgeSeconds"),
                    data.toString());
            assertTrue(data.has("labelsNotCurrent"), data.toString());
            assertEquals("development", data.path("version").asText());
            assertTrue(data.path("uptimeSeconds").asLong() >= 1, data.toString());
            assertEquals(GatewayEnv.STORE, beats.get(0).get("subject").asText());

            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            cloud.stop();
            await("the link is down")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !api.json("/health")
                            .path("cloud")
                            .path("state")
                            .asText()
                            .equals("CONNECTED"));
            long last = api.json("/health").path("outbox").path("lastSequence").asLong();
            await("no heartbeat is stored while the link is down")
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> api.json("/health")
                                    .path("outbox")
                                    .path("lastSequence")
                                    .asLong()
                            == last);
        }
    }

    @Test
    void given_a_summary_request_stored_before_a_crash_when_the_gateway_starts_then_it_is_answered_once()
            throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url())) {
            GatewayEnv env = env(cloud);
            InProcessGateway.start(env).close();
            // What a crash right after the command's commit leaves: the request stored, its answer not yet.
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                            "jdbc:sqlite:" + env.dataDir().resolve("gateway.db"));
                    java.sql.PreparedStatement ps =
                            c.prepareStatement("INSERT INTO summary_request (command_id, from_ms, "
                                    + "to_ms, asked_ms) VALUES ('before-crash', 0, 1000, 1)")) {
                ps.executeUpdate();
            }
            try (InProcessGateway gateway = InProcessGateway.start(env)) {
                JsonNode reported = await("the stored request is answered")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> only(collector, "retail.summary.reported"), r -> r != null);
                assertEquals(
                        "before-crash", reported.path("data").path("commandId").asText());
                assertEquals(
                        "1970-01-01T00:00:01Z",
                        reported.path("data").path("summary").path("to").asText());
            }
            try (InProcessGateway again = InProcessGateway.start(env)) {
                ApiClient api = new ApiClient(again.env().httpPort(), GatewayEnv.READ_TOKEN);
                long last =
                        api.json("/health").path("outbox").path("lastSequence").asLong();
                await("nothing is answered twice")
                        .during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> api.json("/health")
                                        .path("outbox")
                                        .path("lastSequence")
                                        .asLong()
                                == last);
                assertEquals(1, ofType(collector, "retail.summary.reported").size());
            }
        }
    }

    private GatewayEnv env(Mosquitto cloud) {
        return new GatewayEnv(dir.resolve("gateway"), cloud.url());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> ofType(CloudCollector collector, String type) {
        return collector.distinctEvents().stream()
                .filter(e -> e.path("type").asText().equals(type))
                .toList();
    }

    private static JsonNode only(CloudCollector collector, String type) {
        List<JsonNode> found = ofType(collector, type);
        return found.size() == 1 ? found.get(0) : null;
    }
}
