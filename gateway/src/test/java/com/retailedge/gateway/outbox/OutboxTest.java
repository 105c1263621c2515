package com.retailedge.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable event queue on a real SQLite file: sequences are gap-free and continue across restarts, ids are
 * UUIDs fixed at storage, and an append that is rolled back leaves no trace, not even a used number.
 */
@Timeout(30)
class OutboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_S = 10;

    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;
    private Outbox outbox;

    @BeforeEach
    void open() throws Exception {
        openAgain();
    }

    @AfterEach
    void close() {
        writer.close();
    }

    /** What a gateway start does: load the outbox from the file and start a writer. */
    private void openAgain() throws Exception {
        database = Database.open(dir);
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
        }
        writer = new SqliteWriter(database, 500, 100_000, new SimpleMeterRegistry());
        writer.start();
    }

    @Test
    void given_concurrent_appends_then_sequences_are_1_to_n_without_gaps_or_repeats() throws Exception {
        List<CompletableFuture<StoredEvent>> futures = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            futures.add(append("retail.scan.accepted", "pda-" + (i % 7), Map.of("msgId", "m" + i)));
        }
        List<Long> returned = new ArrayList<>();
        for (CompletableFuture<StoredEvent> f : futures) {
            returned.add(f.get(WAIT_S, TimeUnit.SECONDS).sequence());
        }
        assertEquals(sequence(1, 400), returned.stream().sorted().toList());
        assertEquals(sequence(1, 400), storedSequences());
        assertEquals(400, outbox.lastSequence());
        assertEquals(400, outbox.pendingEvents());
    }

    @Test
    void given_a_reopened_database_then_sequences_continue_after_the_last_stored_one() throws Exception {
        for (int i = 0; i < 5; i++) {
            append("retail.button.pressed", "button-1", Map.of("msgId", "a" + i))
                    .get(WAIT_S, TimeUnit.SECONDS);
        }
        writer.close();
        openAgain();
        assertEquals(5, outbox.lastSequence());
        assertEquals(5, outbox.pendingEvents(), "nothing acknowledged yet: all five still wait");
        assertEquals(
                6,
                append("retail.button.pressed", "button-1", Map.of("msgId", "b0"))
                        .get(WAIT_S, TimeUnit.SECONDS)
                        .sequence());
        writer.close();
        openAgain();
        assertEquals(
                7,
                append("retail.button.pressed", "button-1", Map.of("msgId", "c0"))
                        .get(WAIT_S, TimeUnit.SECONDS)
                        .sequence());
        assertEquals(sequence(1, 7), storedSequences());
    }

    @Test
    void given_acknowledged_events_pruned_away_then_their_sequences_are_never_used_again() throws Exception {
        for (int i = 0; i < 3; i++) {
            append("retail.label.updated", "esl-1", Map.of("msgId", "p" + i)).get(WAIT_S, TimeUnit.SECONDS);
        }
        writer.submit(tx -> {
                    OutboxQueries.saveAcked(tx.connection(), 3);
                    return OutboxQueries.pruneAcked(tx.connection(), 3, Long.MAX_VALUE, 100);
                })
                .get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(List.of(), storedSequences(), "the cloud took them and housekeeping deleted them");
        writer.close();
        openAgain();
        assertEquals(0, outbox.pendingEvents());
        assertEquals(
                4,
                append("retail.label.updated", "esl-1", Map.of("msgId", "p3"))
                        .get(WAIT_S, TimeUnit.SECONDS)
                        .sequence());
    }

    @Test
    void ids_are_uuids_unique_per_event_and_are_what_was_stored() throws Exception {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            StoredEvent e = append("retail.scan.accepted", "pda-1", Map.of("msgId", "u" + i))
                    .get(WAIT_S, TimeUnit.SECONDS);
            UUID id = UUID.fromString(e.id());
            assertEquals(e.id(), id.toString(), "canonical lower-case form");
            ids.add(id);
            assertEquals(e.id(), JSON.readTree(e.body()).get("id").asText());
        }
        assertEquals(200, ids.size());
        try (Connection c = database.openReadConnection()) {
            for (StoredEvent stored : Outbox.readAfter(c, 0, 1000)) {
                assertTrue(ids.contains(UUID.fromString(stored.id())));
                assertEquals(stored.id(), JSON.readTree(stored.body()).get("id").asText());
            }
        }
    }

    @Test
    void the_stored_body_is_a_cloudevent_with_the_contract_attributes() throws Exception {
        StoredEvent e = append("retail.scan.accepted", "pda-3", Map.of("msgId", "m-9", "qty", 2))
                .get(WAIT_S, TimeUnit.SECONDS);
        JsonNode event = JSON.readTree(e.body());
        assertEquals("1.0", event.get("specversion").asText());
        assertEquals("/stores/s001", event.get("source").asText());
        assertEquals("retail.scan.accepted", event.get("type").asText());
        assertEquals("pda-3", event.get("subject").asText());
        assertEquals(e.sequence(), event.get("sequence").asLong());
        assertTrue(event.get("sequence").isIntegralNumber());
        assertEquals(
                java.time.Instant.ofEpochMilli(e.timeMillis()),
                java.time.Instant.parse(event.get("time").asText()));
        assertTrue(event.get("time").asText().endsWith("Z"), "UTC");
        assertEquals("m-9", event.get("data").get("msgId").asText());
        assertEquals(2, event.get("data").get("qty").asInt());
    }

    @Test
    void given_an_append_whose_unit_fails_then_it_does_not_consume_a_sequence() throws Exception {
        assertEquals(1, append("t", "s", Map.of()).get(WAIT_S, TimeUnit.SECONDS).sequence());
        CompletableFuture<StoredEvent> failed = writer.submit(tx -> {
            outbox.append(tx, "t", "s", Map.of("n", 1));
            outbox.append(tx, "t", "s", Map.of("n", 2));
            throw new IllegalStateException("the cause could not be stored");
        });
        assertThrows(ExecutionException.class, () -> failed.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(1, outbox.lastSequence());
        assertEquals(2, append("t", "s", Map.of()).get(WAIT_S, TimeUnit.SECONDS).sequence());
        assertEquals(sequence(1, 2), storedSequences());
    }

    @Test
    void given_a_failing_append_between_neighbours_in_one_batch_then_the_neighbours_stay_contiguous() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = writer.submit(tx -> {
            running.countDown();
            release.await(WAIT_S, TimeUnit.SECONDS);
            return null;
        });
        assertTrue(running.await(WAIT_S, TimeUnit.SECONDS));
        CompletableFuture<StoredEvent> first = append("t", "a", Map.of());
        CompletableFuture<StoredEvent> failed = writer.submit(tx -> {
            outbox.append(tx, "t", "b", Map.of());
            throw new IllegalStateException("rolled back");
        });
        CompletableFuture<StoredEvent> third = append("t", "c", Map.of());
        release.countDown();
        blocker.get(WAIT_S, TimeUnit.SECONDS);

        assertEquals(1, first.get(WAIT_S, TimeUnit.SECONDS).sequence());
        assertThrows(ExecutionException.class, () -> failed.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(2, third.get(WAIT_S, TimeUnit.SECONDS).sequence(), "the rolled-back number is given to the next");
        assertEquals(sequence(1, 2), storedSequences());
        assertEquals(storedBytes(), outbox.pendingBytes(), "the rolled-back event's bytes were taken back too");
        try (Connection c = database.openReadConnection()) {
            assertEquals(
                    Outbox.readAfter(c, 0, 10),
                    outbox.committedAfter(c, 0, 10),
                    "what the forwarder takes from memory is what was stored, without the rolled-back event");
        }
    }

    @Test
    void pending_counts_follow_acknowledgements_and_the_bound_makes_it_full() throws Exception {
        writer.close();
        database = Database.open(dir);
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 3, 1L << 30);
        }
        writer = new SqliteWriter(database, 500, 100_000, new SimpleMeterRegistry());
        writer.start();
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertFalse(outbox.isFull());
            events.add(append("t", "s", Map.of("i", i)).get(WAIT_S, TimeUnit.SECONDS));
        }
        assertTrue(outbox.isFull(), "three unsent events reach a bound of three");
        assertEquals(storedBytes(), outbox.pendingBytes());
        outbox.acknowledged(1, events.get(0).bytes());
        assertFalse(outbox.isFull());
        assertEquals(2, outbox.pendingEvents());
        assertEquals(events.get(1).bytes() + events.get(2).bytes(), outbox.pendingBytes());
        outbox.acknowledged(1, events.get(0).bytes());
        assertEquals(2, outbox.pendingEvents(), "a repeated acknowledgement changes nothing");
        assertEquals(events.get(1).bytes() + events.get(2).bytes(), outbox.pendingBytes());
    }

    private CompletableFuture<StoredEvent> append(String type, String subject, Map<String, ?> data) {
        return writer.submit(tx -> outbox.append(tx, type, subject, data));
    }

    private List<Long> storedSequences() throws SQLException {
        List<Long> sequences = new ArrayList<>();
        try (Connection c = database.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq FROM outbox ORDER BY seq")) {
            while (rs.next()) {
                sequences.add(rs.getLong(1));
            }
        }
        return sequences;
    }

    private long storedBytes() throws SQLException {
        try (Connection c = database.openReadConnection()) {
            return OutboxQueries.bytesAfter(c, 0);
        }
    }

    private static List<Long> sequence(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            list.add(s);
        }
        return list;
    }
}
