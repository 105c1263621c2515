package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.sim.esl.AccessPointSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A promotion is a scheduled price: it takes effect at its start with no cloud and no one asking, a label that is
 * not showing it by then is a shelf/till mismatch, and its end is applied even when it passed while the gateway
 * was down.
 */
@Timeout(90)
@Tag("slow")
class ScheduledPriceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LABELS = 10;

    @TempDir
    Path dir;

    @Test
    void a_promotion_starts_and_ends_on_schedule_and_labels_not_showing_it_are_mismatches() throws Exception {
        try (LabelStore store = LabelStore.start(dir, LABELS, Map.of(), UnaryOperator.identity())) {
            store.startAp();
            Instant start = Instant.now().plusSeconds(4);
            Instant end = start.plusSeconds(8);
            assertEquals(
                    200,
                    store.putPrice(
                                    LabelStore.SKU,
                                    "{\"name\":\"Milk 1l\",\"price\":\"1.19\",\"currency\":\"EUR\","
                                            + "\"promotion\":{\"price\":\"0.89\",\"start\":\"" + start + "\",\"end\":\""
                                            + end + "\"}}")
                            .statusCode());
            await("the regular price on every label before the start")
                    .atMost(WAIT)
                    .until(() -> store.currentCount() == LABELS);
            assertEquals("1.19", store.ap().content("esl-1").get("price").asText());
            assertFalse(store.ap().content("esl-1").has("regularPrice"));

            // The access point is unreachable when the promotion starts: the till charges 0.89, the shelf says 1.19.
            store.stopAp();
            await("every label a mismatch once the promotion started")
                    .atMost(WAIT)
                    .until(() -> store.labelsSummary().get("mismatches").asLong() == LABELS);
            List<JsonNode> mismatches = store.labels("flag=mismatch");
            assertEquals(LABELS, mismatches.size());
            assertEquals("0.89", mismatches.get(0).get("price").asText());
            assertEquals("1.19", mismatches.get(0).get("shownPrice").asText());

            AccessPointSimulator ap = store.startAp();
            await("the promotion on every label")
                    .atMost(WAIT)
                    .until(() -> store.currentCount() == LABELS
                            && store.labelsSummary().get("mismatches").asLong() == 0);
            for (int n = 1; n <= LABELS; n++) {
                JsonNode content = ap.content("esl-" + n);
                assertEquals("0.89", content.get("price").asText());
                assertEquals("1.19", content.get("regularPrice").asText());
                assertEquals(2, content.get("version").asLong());
            }

            // The end passes while the gateway is down; at start it catches up from its stored schedule position.
            store.stopGateway();
            await().atMost(WAIT).until(() -> Instant.now().isAfter(end.plusMillis(500)));
            store.startGateway();
            await("the regular price again after the promotion ended")
                    .atMost(WAIT)
                    .until(() -> store.currentCount() == LABELS
                            && "1.19"
                                    .equals(ap.content("esl-" + LABELS)
                                            .get("price")
                                            .asText()));
            for (int n = 1; n <= LABELS; n++) {
                assertEquals(3, ap.shown("esl-" + n));
                assertFalse(ap.content("esl-" + n).has("regularPrice"));
            }
        }
    }
}
