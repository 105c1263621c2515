package com.retailedge.gateway.api;

import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Summary counts from rollups are exact on a real SQLite file: for random windows (whole hours, whole minutes,
 * parts of minutes, inside one minute) they equal a plain count over the outbox, before the rollup caught up, after it,
 * and with new events on top of rolled-up ones; a gateway restart continues from the stored cursor.
 */
@Timeout(60)
class EventRollupsTest {
    private static final List<String> TYPES =
            List.of("retail.button.pressed", "retail.scan.accepted", "retail.label.updated");
    /** Events are spread over this many minutes (five hours) before a fixed start. */
    private static final int MINUTES = 300;

    private static final long START = 1_795_000_000_000L;

    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;
    private Outbox outbox;
    private Connection reader;
    private final Random random = new Random(7);

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
        }
        writer = new SqliteWriter(database, 500, 100_000, new SimpleMeterRegistry());
        writer.start();
        reader = database.openReadConnection();
    }

    @AfterEach
    void close() throws SQLException {
        reader.close();
        writer.close();
    }

    @Test
    void counts_over_random_windows_equal_a_plain_count_before_and_after_the_rollup() throws Exception {
        EventRollups rollups = new EventRollups(reader, writer, outbox, new SimpleMeterRegistry());
        store(400);
        assertWindowsExact(rollups, "nothing rolled up yet");

        assertEquals(400, rollups.catchUp());
        assertEquals(0, rollups.catchUp(), "nothing new");
        assertWindowsExact(rollups, "everything rolled up");

        store(150);
        assertWindowsExact(rollups, "new events on top of rolled-up ones");
        rollups.catchUp();
        assertWindowsExact(rollups, "rolled up twice");

        // a restart: a new instance continues from the stored cursor and counts nothing twice
        store(50);
        try (Connection again = database.openReadConnection()) {
            EventRollups restarted = new EventRollups(again, writer, outbox, new SimpleMeterRegistry());
            assertEquals(50, restarted.catchUp());
            assertWindowsExact(restarted, "after a restart");
            assertEquals(600, sum(restarted.countsByType(reader, START - MINUTES * 60_000L, START + 60_000)));
        }
    }

    @Test
    void per_minute_counts_include_events_not_rolled_up_yet() throws Exception {
        EventRollups rollups = new EventRollups(reader, writer, outbox, new SimpleMeterRegistry());
        store(200);
        rollups.catchUp();
        store(100);
        long from = Math.floorDiv(START, 60_000) - MINUTES;
        long to = Math.floorDiv(START, 60_000) + 1;
        Map<Long, Long> perMinute = rollups.perMinute(reader, from, to);
        Map<Long, Long> expected = new TreeMap<>();
        try (PreparedStatement ps = reader.prepareStatement("SELECT time_ms / 60000, COUNT(*) FROM outbox GROUP BY 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                expected.put(rs.getLong(1), rs.getLong(2));
            }
        }
        assertEquals(expected, perMinute);
        assertEquals(300, perMinute.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Stores events through the real outbox, then moves their times into the test's five hours. */
    private void store(int count) throws Exception {
        writer.submit(tx -> {
                    PreparedStatement retime = tx.prepare("UPDATE outbox SET time_ms = ? WHERE seq = ?");
                    for (int i = 0; i < count; i++) {
                        long seq = outbox.append(
                                        tx,
                                        TYPES.get(random.nextInt(TYPES.size())),
                                        "button-1",
                                        Map.of("msgId", "m" + i))
                                .sequence();
                        retime.setLong(1, START - random.nextInt(MINUTES * 60_000));
                        retime.setLong(2, seq);
                        retime.executeUpdate();
                    }
                    return null;
                })
                .get(10, TimeUnit.SECONDS);
    }

    private void assertWindowsExact(EventRollups rollups, String when) throws SQLException {
        for (int i = 0; i < 60; i++) {
            long from = START - random.nextInt(MINUTES * 60_000 + 60_000);
            long to = from + 1 + random.nextInt(i % 3 == 0 ? 30_000 : MINUTES * 60_000);
            if (i % 5 == 0) {
                from = Math.floorDiv(from, 60_000) * 60_000;
                to = Math.floorDiv(to, 60_000) * 60_000 + 60_000;
            }
            assertEquals(
                    plainCount(from, to),
                    rollups.countsByType(reader, from, to),
                    when + ": window [" + from + ", " + to + ")");
        }
    }

    private Map<String, Long> plainCount(long from, long to) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement ps = reader.prepareStatement(
                "SELECT type, COUNT(*) FROM outbox WHERE time_ms >= ? AND time_ms < ? GROUP BY type")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
