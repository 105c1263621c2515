package com.retailedge.gateway.outbox;

import com.retailedge.gateway.store.CleanStop;
import com.retailedge.gateway.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pending size a clean stop notes is what the next start takes instead of summing every pending event, but only
 * while the database still holds what the note names; it is the same number the sum gives.
 */
class OutboxCleanStopTest {
    @TempDir
    Path dir;

    @Test
    void the_note_of_a_clean_stop_is_the_sum_and_is_taken_only_while_it_matches() throws Exception {
        Database database = Database.open(dir);
        try (Connection c = database.openWriteConnection()) {
            insert(c, 1, 500);
        }
        Map<String, Long> note;
        try (Connection c = database.openReadConnection()) {
            Outbox outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
            long all = sumAfter(c, 0);
            assertEquals(all, outbox.pendingBytes());
            // The cloud took 120 events, the cursor on disk only up to 100: the note is about what is on disk.
            outbox.acknowledged(120, sumBetween(c, 0, 120));
            saveAcked(database, 100);
            note = outbox.stopRecord(c);
            assertEquals(100L, note.get("outbox.acked"));
            assertEquals(500L, note.get("outbox.last"));
            assertEquals(sumAfter(c, 100), note.get("outbox.pending-bytes"));
        }
        CleanStop.write(dir, note);
        Map<String, Long> taken = CleanStop.take(dir).orElseThrow();
        assertEquals(note, taken);
        assertFalse(Files.exists(dir.resolve(CleanStop.FILE_NAME)), "a start takes the note away");
        assertTrue(CleanStop.take(dir).isEmpty());

        try (Connection c = database.openReadConnection()) {
            // A note that matches is taken as it is (a wrong size in it would show here).
            Map<String, Long> marked = new HashMap<>(taken);
            marked.put("outbox.pending-bytes", 7L);
            assertEquals(7, Outbox.load(c, "s001", 1_000_000, 1L << 30, marked).pendingBytes());
        }
        try (Connection c = database.openWriteConnection()) {
            insert(c, 501, 10);
        }
        try (Connection c = database.openReadConnection()) {
            // Events stored after the note: it no longer matches, so the start sums.
            Outbox outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30, taken);
            assertEquals(sumAfter(c, 100), outbox.pendingBytes());
            assertEquals(410, outbox.pendingEvents());
        }
    }

    private static void insert(Connection c, int from, int n) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (seq, id, type, subject, time_ms, body) "
                + "VALUES (?, ?, 'retail.button.pressed', 'button-1', 0, ?)")) {
            for (int i = from; i < from + n; i++) {
                ps.setLong(1, i);
                ps.setString(2, "id-" + i);
                ps.setString(3, "{\"sequence\":" + i + ",\"pad\":\"" + "z".repeat(i % 97) + "\"}");
                ps.executeUpdate();
            }
        }
    }

    private static void saveAcked(Database database, long sequence) throws Exception {
        try (Connection c = database.openWriteConnection()) {
            OutboxQueries.saveAcked(c, sequence);
        }
    }

    private static long sumAfter(Connection c, long after) throws Exception {
        return sumBetween(c, after, Long.MAX_VALUE);
    }

    private static long sumBetween(Connection c, long after, long upTo) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(LENGTH(body)), 0) FROM outbox WHERE seq > " + after
                        + " AND seq <= " + upTo)) {
            return rs.getLong(1);
        }
    }
}
