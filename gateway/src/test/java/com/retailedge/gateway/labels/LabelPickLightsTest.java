package com.retailedge.gateway.labels;

import com.retailedge.gateway.labels.push.ApEndpoints;
import com.retailedge.gateway.labels.push.LabelPusher;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.WriteWork;
import com.retailedge.sim.esl.AccessPointSimulator;
import com.retailedge.sim.esl.ApOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pick-to-light, as the picking capability calls it inside its own transaction: lighting a SKU puts {@code flash}
 * into its labels' content as a new version, pushed over CoAP to a real (simulated) access point; the light stays
 * on while any order still wants it and goes off with a further version.
 */
@Timeout(60)
class LabelPickLightsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void a_lit_sku_flashes_until_the_last_order_that_wants_it_clears_it() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        Database database = Database.open(dir);
        Outbox outbox;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 10_000, 1 << 20);
        }
        try (SqliteWriter writer = new SqliteWriter(database, 100, 1000, metrics);
                AccessPointSimulator ap =
                        new AccessPointSimulator(ApOptions.simple("ap-1", id -> true, "coap://127.0.0.1:9"));
                ApEndpoints endpoints = new ApEndpoints(Duration.ofMillis(500), 3)) {
            writer.start();
            ap.start();
            LabelPusher[] pusher = new LabelPusher[1];
            LabelBook book = new LabelBook(outbox, job -> pusher[0].offer(job));
            try (PushResults results = new PushResults(writer, book)) {
                pusher[0] = new LabelPusher(
                        endpoints,
                        id -> Optional.of(ap.url()),
                        results,
                        4,
                        3,
                        Duration.ofSeconds(1),
                        ApEndpoints.maxTransmitWait(Duration.ofMillis(500), 3),
                        metrics);
                run(writer, tx -> {
                    for (String sku : List.of("APPLE", "PEAR")) {
                        PreparedStatement ps =
                                tx.prepare("INSERT INTO catalog_item (sku, name, price, currency, updated_ms) "
                                        + "VALUES (?, ?, '1.00', 'EUR', 0)");
                        ps.setString(1, sku);
                        ps.setString(2, sku.toLowerCase());
                        ps.executeUpdate();
                    }
                    book.bind(tx, "esl-apple", "APPLE", "ap-1", System.currentTimeMillis());
                    book.bind(tx, "esl-pear", "PEAR", "ap-1", System.currentTimeMillis());
                    return null;
                });
                await().atMost(WAIT)
                        .until(() -> ap.received("esl-apple").equals(List.of(1L))
                                && ap.received("esl-pear").equals(List.of(1L)));
                assertFalse(ap.content("esl-apple").has("flash"));

                PickLights lights = new LabelPickLights(book);
                run(writer, tx -> {
                    lights.light(tx, "order-1", List.of("APPLE"));
                    lights.light(tx, "order-2", List.of("APPLE"));
                    return null;
                });
                await("apple flashes")
                        .atMost(WAIT)
                        .until(() -> ap.received("esl-apple").equals(List.of(1L, 2L)));
                assertTrue(ap.content("esl-apple").get("flash").asBoolean());
                assertEquals("1.00", ap.content("esl-apple").get("price").asText(), "the rest of the content stays");

                run(writer, tx -> {
                    lights.clear(tx, "order-1", "APPLE"); // order-2 still wants it
                    return null;
                });
                run(writer, tx -> {
                    lights.clear(tx, "order-2", "APPLE");
                    return null;
                });
                await("apple stops flashing")
                        .atMost(WAIT)
                        .until(() -> ap.received("esl-apple").equals(List.of(1L, 2L, 3L)));
                assertFalse(ap.content("esl-apple").has("flash"));
                assertEquals(List.of(1L), ap.received("esl-pear"), "an unlit SKU's labels are not touched");
                pusher[0].close();
            }
        }
    }

    private static <T> T run(SqliteWriter writer, WriteWork<T> work) throws Exception {
        return writer.submit(work).get(10, TimeUnit.SECONDS);
    }
}
