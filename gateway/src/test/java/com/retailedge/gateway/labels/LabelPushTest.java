package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.sim.esl.AccessPointSimulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Label content goes from a price change to every label over real CoAP on UDP, through a simulated access point
 * that loses packets, and the store knows at every moment which labels are current, pending or failed, and why.
 */
@Timeout(90)
@Tag("slow")
class LabelPushTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    @Test
    void a_price_change_reaches_every_label_through_ten_percent_packet_loss() throws Exception {
        try (LabelStore store = LabelStore.start(dir, 50, Map.of(), ap -> ap.withLoss(0.10))) {
            AccessPointSimulator ap = store.startAp();
            assertEquals(50, store.price("1.19").get("labelsChanged").asInt());
            await("every label current").atMost(WAIT).until(() -> store.currentCount() == 50);
            for (int n = 1; n <= 50; n++) {
                assertEquals(1, ap.shown("esl-" + n));
                assertEquals("1.19", ap.content("esl-" + n).get("price").asText());
            }

            assertEquals(50, store.price("0.99").get("labelsChanged").asInt(), "a new price is a new version for all");
            await("every label current again")
                    .atMost(WAIT)
                    .until(() -> store.labels("state=current").stream()
                                    .allMatch(l -> l.get("reportedVersion").asLong() == 2)
                            && store.currentCount() == 50);
            for (int n = 1; n <= 50; n++) {
                assertEquals("0.99", ap.content("esl-" + n).get("price").asText());
                assertEquals(2, ap.shown("esl-" + n));
            }
            JsonNode summary = store.labelsSummary();
            assertEquals(0, summary.get("pending").asLong(), summary.toString());
            assertEquals(0, summary.get("failed").asLong(), summary.toString());
            assertEquals(0, summary.get("mismatches").asLong(), summary.toString());

            // The same rendering again is no change: no version, no push.
            long puts = ap.puts();
            assertEquals(0, store.price("0.99").get("labelsChanged").asInt());
            assertEquals(puts, ap.puts());

            List<JsonNode> updated = store.read.events().stream()
                    .filter(e -> e.get("type").asText().equals("retail.label.updated"))
                    .toList();
            assertEquals(100, updated.size(), "one retail.label.updated per label and version");
            assertTrue(
                    updated.stream()
                            .allMatch(e -> e.get("data").has("msgId")
                                    && e.get("data").get("sku").asText().equals(LabelStore.SKU)),
                    updated.get(0).toString());
        }
    }

    @Test
    void an_access_point_down_and_back_gets_only_the_newest_version_of_each_label_after_retries() throws Exception {
        // One CoAP retransmission: a request to the absent access point soon counts as a failed attempt of the
        // pusher's own, which tries again after its backoff.
        Map<String, String> settings =
                Map.of("GATEWAY_LABELS_MAX_IN_FLIGHT", "8", "GATEWAY_LABELS_COAP_RETRANSMITS", "1");
        try (LabelStore store = LabelStore.start(dir, 50, settings, UnaryOperator.identity())) {
            store.startAp();
            store.price("1.00");
            await("v1 everywhere").atMost(WAIT).until(() -> store.currentCount() == 50);
            store.stopAp();

            store.price("1.10"); // v2: the first 8 labels' pushes go out and are lost with the access point
            store.price("1.20"); // v3: never sent, replaced before its turn
            store.price("1.30"); // v4: the newest
            JsonNode whileDown = store.labelsSummary();
            assertEquals(50, whileDown.get("pending").asLong(), whileDown.toString());
            assertEquals(50, whileDown.get("mismatches").asLong(), "the till charges 1.30, the shelves show 1.00");

            await("the pushes in flight are retried while the access point is down")
                    .atMost(WAIT)
                    .until(() -> store.read.metric("gateway_label_pushes_total", Map.of("outcome", "retried")) >= 8);
            AccessPointSimulator ap = store.startAp();
            await("v4 everywhere once the access point is back").atMost(WAIT).until(() -> store.currentCount() == 50);
            int onlyNewest = 0;
            for (int n = 1; n <= 50; n++) {
                List<Long> received = ap.received("esl-" + n);
                assertFalse(received.contains(3L), "esl-" + n + " got " + received);
                assertEquals(4L, received.get(received.size() - 1), "esl-" + n + " got " + received);
                assertEquals(4, ap.shown("esl-" + n));
                if (received.equals(List.of(4L))) {
                    onlyNewest++;
                }
            }
            assertTrue(
                    onlyNewest >= 50 - 8, "at most the 8 in flight saw an older version; only-newest: " + onlyNewest);
            assertEquals(0, store.labelsSummary().get("mismatches").asLong());
        }
    }

    @Test
    void a_dead_label_and_a_label_its_access_point_does_not_know_end_failed_with_their_reasons() throws Exception {
        Map<String, String> shortDeadline = Map.of("GATEWAY_LABELS_DEADLINE", "3s");
        try (LabelStore store = LabelStore.start(
                dir,
                12,
                shortDeadline,
                ap -> ap.withDead(Set.of("esl-7"))
                        .withLowBattery(Set.of("esl-3"))
                        .withKnown(id -> !id.equals("esl-12")))) {
            store.startAp();
            store.price("2.49");
            await("10 current, 2 failed")
                    .atMost(WAIT)
                    .until(() -> store.currentCount() == 10
                            && store.labelsSummary().get("failed").asLong() == 2);

            JsonNode dead = store.label("esl-7");
            assertEquals("failed", dead.get("state").asText());
            assertTrue(dead.get("reason").asText().startsWith("not-shown:"), dead.toString());
            assertEquals(1, dead.get("apVersion").asLong(), "the access point took it; the label never showed it");
            JsonNode unknown = store.label("esl-12");
            assertEquals("failed", unknown.get("state").asText());
            assertTrue(unknown.get("reason").asText().startsWith("ap-unknown-label:"), unknown.toString());

            JsonNode summary = store.labelsSummary();
            assertEquals(2, summary.get("worst").size(), summary.toString());
            assertEquals(
                    Set.of("esl-7", "esl-12"),
                    Set.of(
                            summary.get("worst").get(0).get("labelId").asText(),
                            summary.get("worst").get(1).get("labelId").asText()));
            assertEquals(1, summary.get("lowBattery").asLong(), summary.toString());
            assertEquals(
                    List.of("esl-3"),
                    store.labels("flag=low-battery").stream()
                            .map(l -> l.get("labelId").asText())
                            .toList());
            assertEquals(
                    Set.of("esl-7", "esl-12"),
                    Set.copyOf(store.labels("state=failed").stream()
                            .map(l -> l.get("labelId").asText())
                            .toList()));
            assertEquals(
                    Set.of("esl-7", "esl-12"),
                    Set.copyOf(store.labels("flag=not-seen").stream()
                            .map(l -> l.get("labelId").asText())
                            .toList()),
                    "never reported");
            assertEquals(2, summary.get("notSeen").asLong(), summary.toString());

            List<JsonNode> failed = store.read.events().stream()
                    .filter(e -> e.get("type").asText().equals("retail.label.failed"))
                    .toList();
            assertEquals(
                    Set.of("esl-7", "esl-12"),
                    Set.copyOf(
                            failed.stream().map(e -> e.get("subject").asText()).toList()));
            assertTrue(failed.stream()
                    .allMatch(e -> e.get("data").get("reason").asText().contains(":")));
        }
    }

    @Test
    void labels_failed_while_their_access_point_was_down_are_delivered_on_an_operators_retry() throws Exception {
        Map<String, String> giveUpFast =
                Map.of("GATEWAY_LABELS_PUSH_ATTEMPTS", "1", "GATEWAY_LABELS_COAP_RETRANSMITS", "1");
        try (LabelStore store = LabelStore.start(dir, 10, giveUpFast, UnaryOperator.identity())) {
            store.price("5.55"); // the access point is not up
            await("every label failed")
                    .atMost(WAIT)
                    .until(() -> store.labelsSummary().get("failed").asLong() == 10);
            assertTrue(store.label("esl-1").get("reason").asText().startsWith("ap-unreachable:"));
            assertEquals(
                    403,
                    store.post("/api/v1/labels/retry", GatewayEnv.READ_TOKEN).statusCode());

            AccessPointSimulator ap = store.startAp();
            HttpResponse<String> one = store.post("/api/v1/labels/retry?labelId=esl-1", GatewayEnv.ADMIN_TOKEN);
            assertEquals(1, ApiClient.parse(one.body()).get("retried").asInt(), one.body());
            await("the one retried label current").atMost(WAIT).until(() -> store.currentCount() == 1);
            HttpResponse<String> all = store.post("/api/v1/labels/retry", GatewayEnv.ADMIN_TOKEN);
            assertEquals(9, ApiClient.parse(all.body()).get("retried").asInt(), all.body());
            await("every label current").atMost(WAIT).until(() -> store.currentCount() == 10);
            assertEquals("5.55", ap.content("esl-10").get("price").asText());
        }
    }

    @Test
    void pending_pushes_survive_a_gateway_restart_and_resume() throws Exception {
        try (LabelStore store = LabelStore.start(dir, 30, Map.of(), UnaryOperator.identity())) {
            store.price("3.33"); // the access point is not up: every push stays pending
            assertEquals(30, store.labelsSummary().get("pending").asLong());
            store.stopGateway();

            AccessPointSimulator ap = store.startAp();
            store.startGateway();
            await("the restarted gateway delivers what was pending")
                    .atMost(WAIT)
                    .until(() -> store.currentCount() == 30);
            for (int n = 1; n <= 30; n++) {
                assertEquals("3.33", ap.content("esl-" + n).get("price").asText());
                assertEquals(1, ap.shown("esl-" + n));
            }
        }
    }

    @Test
    void bad_requests_to_the_label_api_are_refused_with_a_reason() throws Exception {
        try (LabelStore store = LabelStore.start(dir, 2, Map.of(), UnaryOperator.identity())) {
            assertEquals(400, store.read.get("/api/v1/labels?state=lost").statusCode());
            assertEquals(400, store.read.get("/api/v1/labels?limit=0").statusCode());
            assertEquals(
                    400, store.putPrice(LabelStore.SKU, "{\"price\":\"1,99\"}").statusCode());
            assertEquals(400, store.putPrice(LabelStore.SKU, "not json").statusCode());
            assertEquals(
                    404, store.putPrice("NOPE", "{\"price\":\"1.99\"}").statusCode(), "unknown sku without a name");
            assertEquals(
                    403,
                    store.putPrice(LabelStore.SKU, "{\"price\":\"1.99\"}", GatewayEnv.READ_TOKEN)
                            .statusCode(),
                    "a price change needs the admin token");
            JsonNode pending = store.label("esl-1");
            assertEquals("pending", pending.get("state").asText());
            assertTrue(pending.get("reason").asText().startsWith("no-price:"), pending.toString());
        }
    }
}
