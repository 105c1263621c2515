package com.retailedge.gateway.api;

import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Event counts per (minute, type) for the summary and the dashboard's chart. The device path is left alone:
 * the writer is the gateway's bottleneck, so instead of a statement per event, {@link #catchUp} reads newly
 * committed outbox rows on its own read connection, counts them here, and asks the writer for one small
 * unit per chunk (a few upserts and the cursor). Queries add the events after the cursor straight from the
 * outbox, so answers are exact, not a second behind.
 */
final class EventRollups {
    static final long MINUTE_MS = 60_000;
    private static final int CHUNK = 100_000;
    private static final String MINUTES_SQL =
            "SELECT type, SUM(n) FROM event_rollup WHERE minute >= ? AND minute < ? GROUP BY type";

    private final Connection reader;
    private final SqliteWriter writer;
    private final Outbox outbox;
    /** Every type counted in event_rollup: lets edge minutes use the (type, time_ms) index. */
    private final Set<String> types = ConcurrentHashMap.newKeySet();

    private final Timer writerTime;
    /** Written by the upkeep thread only. */
    private volatile long cursor;

    EventRollups(Connection reader, SqliteWriter writer, Outbox outbox, MeterRegistry metrics) throws SQLException {
        this.reader = reader;
        this.writer = writer;
        this.outbox = outbox;
        this.cursor = rolledUpTo(reader);
        this.writerTime = Timer.builder("gateway_summary_rollup_write")
                .description("writer-thread time of each rollup unit (one per chunk of up to 100,000 events)")
                .register(metrics);
        metrics.gauge("gateway_summary_rollup_lag_events", this, r -> Math.max(0, r.outbox.lastSequence() - r.cursor));
        try (Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT type FROM event_rollup_hour")) {
            while (rs.next()) {
                types.add(rs.getString(1));
            }
        }
    }

    /** Upkeep thread: counts what was committed since the last call; returns the events counted. */
    long catchUp() throws Exception {
        long counted = 0;
        while (cursor < outbox.lastSequence()) {
            long from = cursor;
            long to = Math.min(outbox.lastSequence(), from + CHUNK);
            Map<Long, Map<String, Long>> counts = countChunk(from, to);
            // Known before the rows are visible, so an edge-minute count never misses a new type.
            counts.values().forEach(m -> types.addAll(m.keySet()));
            writer.submit(tx -> {
                        long started = System.nanoTime();
                        PreparedStatement up = tx.prepare("INSERT INTO event_rollup (minute, type, n) VALUES (?, ?, ?) "
                                + "ON CONFLICT (minute, type) DO UPDATE SET n = n + excluded.n");
                        PreparedStatement upHour =
                                tx.prepare("INSERT INTO event_rollup_hour (hour, type, n) VALUES (?, ?, ?) "
                                        + "ON CONFLICT (hour, type) DO UPDATE SET n = n + excluded.n");
                        Map<Long, Map<String, Long>> hours = new HashMap<>();
                        for (Map.Entry<Long, Map<String, Long>> minute : counts.entrySet()) {
                            for (Map.Entry<String, Long> type :
                                    minute.getValue().entrySet()) {
                                upsert(up, minute.getKey(), type.getKey(), type.getValue());
                                hours.computeIfAbsent(Math.floorDiv(minute.getKey(), 60), h -> new HashMap<>())
                                        .merge(type.getKey(), type.getValue(), Long::sum);
                            }
                        }
                        for (Map.Entry<Long, Map<String, Long>> hour : hours.entrySet()) {
                            for (Map.Entry<String, Long> type : hour.getValue().entrySet()) {
                                upsert(upHour, hour.getKey(), type.getKey(), type.getValue());
                            }
                        }
                        PreparedStatement moved =
                                tx.prepare("UPDATE gateway_state SET value = ? WHERE name = 'rollup.seq'");
                        moved.setLong(1, to);
                        moved.executeUpdate();
                        writerTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                        return null;
                    })
                    .get(60, TimeUnit.SECONDS);
            counted += to - from;
            cursor = to;
        }
        return counted;
    }

    private static void upsert(PreparedStatement ps, long bucket, String type, long n) throws SQLException {
        ps.setLong(1, bucket);
        ps.setString(2, type);
        ps.setLong(3, n);
        ps.executeUpdate();
    }

    private Map<Long, Map<String, Long>> countChunk(long from, long to) throws SQLException {
        Map<Long, Map<String, Long>> counts = new HashMap<>();
        try (PreparedStatement ps =
                reader.prepareStatement("SELECT time_ms, type FROM outbox WHERE seq > ? AND seq <= ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long minute = Math.floorDiv(rs.getLong(1), MINUTE_MS);
                    counts.computeIfAbsent(minute, m -> new HashMap<>()).merge(rs.getString(2), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /**
     * Events by type with time in [fromMs, toMs), exact: hour rollups for whole hours, minute rollups for the
     * other whole minutes, the outbox for the partial minutes at the edges and for what is not rolled up yet.
     */
    Map<String, Long> countsByType(Connection c, long fromMs, long toMs) throws SQLException {
        return inOneSnapshot(c, () -> {
            long rolled = rolledUpTo(c);
            Map<String, Long> counts = new TreeMap<>();
            long firstWhole = Math.floorDiv(fromMs + MINUTE_MS - 1, MINUTE_MS);
            long endWhole = Math.floorDiv(toMs, MINUTE_MS);
            if (firstWhole < endWhole) {
                long firstHour = Math.floorDiv(firstWhole + 59, 60);
                long endHour = Math.floorDiv(endWhole, 60);
                if (firstHour < endHour) {
                    rollupCounts(
                            c,
                            "SELECT type, SUM(n) FROM event_rollup_hour WHERE hour >= ? AND hour < ? GROUP BY type",
                            firstHour,
                            endHour,
                            counts);
                    rollupCounts(c, MINUTES_SQL, firstWhole, firstHour * 60, counts);
                    rollupCounts(c, MINUTES_SQL, endHour * 60, endWhole, counts);
                } else {
                    rollupCounts(c, MINUTES_SQL, firstWhole, endWhole, counts);
                }
                outboxCounts(c, fromMs, firstWhole * MINUTE_MS, rolled, counts);
                outboxCounts(c, endWhole * MINUTE_MS, toMs, rolled, counts);
            } else {
                outboxCounts(c, fromMs, toMs, rolled, counts);
            }
            // NOT INDEXED: for GROUP BY type SQLite would rather walk all of (type, time_ms) than the seq range.
            try (PreparedStatement ps = c.prepareStatement("SELECT type, COUNT(*) FROM outbox NOT INDEXED "
                    + "WHERE seq > ? AND time_ms >= ? AND time_ms < ? GROUP BY type")) {
                ps.setLong(1, rolled);
                ps.setLong(2, fromMs);
                ps.setLong(3, toMs);
                addCounts(ps, counts);
            }
            return counts;
        });
    }

    /** Events per minute (epoch minute -> count) for minutes in [fromMinute, toMinute), rolled up or not. */
    Map<Long, Long> perMinute(Connection c, long fromMinute, long toMinute) throws SQLException {
        return inOneSnapshot(c, () -> {
            long rolled = rolledUpTo(c);
            Map<Long, Long> counts = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT minute, SUM(n) FROM event_rollup WHERE minute >= ? AND minute < ? GROUP BY minute")) {
                ps.setLong(1, fromMinute);
                ps.setLong(2, toMinute);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.merge(rs.getLong(1), rs.getLong(2), Long::sum);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT time_ms / 60000, COUNT(*) FROM outbox NOT INDEXED "
                    + "WHERE seq > ? AND time_ms >= ? AND time_ms < ? GROUP BY 1")) {
                ps.setLong(1, rolled);
                ps.setLong(2, fromMinute * MINUTE_MS);
                ps.setLong(3, toMinute * MINUTE_MS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.merge(rs.getLong(1), rs.getLong(2), Long::sum);
                    }
                }
            }
            return counts;
        });
    }

    /** Events per minute and type (epoch minute -> type -> count) for minutes in [fromMinute, toMinute). */
    Map<Long, Map<String, Long>> perMinuteByType(Connection c, long fromMinute, long toMinute) throws SQLException {
        return inOneSnapshot(c, () -> {
            long rolled = rolledUpTo(c);
            Map<Long, Map<String, Long>> counts = new TreeMap<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT minute, type, n FROM event_rollup WHERE minute >= ? AND minute < ?")) {
                ps.setLong(1, fromMinute);
                ps.setLong(2, toMinute);
                addMinuteCounts(ps, counts);
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT time_ms / 60000, type, COUNT(*) FROM outbox NOT INDEXED "
                            + "WHERE seq > ? AND time_ms >= ? AND time_ms < ? GROUP BY 1, 2")) {
                ps.setLong(1, rolled);
                ps.setLong(2, fromMinute * MINUTE_MS);
                ps.setLong(3, toMinute * MINUTE_MS);
                addMinuteCounts(ps, counts);
            }
            return counts;
        });
    }

    private static void addMinuteCounts(PreparedStatement ps, Map<Long, Map<String, Long>> counts) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getLong(1), m -> new TreeMap<>())
                        .merge(rs.getString(2), rs.getLong(3), Long::sum);
            }
        }
    }

    private static void rollupCounts(Connection c, String sql, long from, long to, Map<String, Long> counts)
            throws SQLException {
        if (from >= to) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            addCounts(ps, counts);
        }
    }

    /** Counts outbox events up to {@code rolled} in a part of a minute, through the (type, time_ms) index. */
    private void outboxCounts(Connection c, long fromMs, long toMs, long rolled, Map<String, Long> counts)
            throws SQLException {
        if (fromMs >= toMs || types.isEmpty()) {
            return;
        }
        String[] known = types.toArray(new String[0]);
        String marks = String.join(", ", java.util.Collections.nCopies(known.length, "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT type, COUNT(*) FROM outbox WHERE type IN (" + marks
                + ") AND time_ms >= ? AND time_ms < ? AND seq <= ? GROUP BY type")) {
            int i = 1;
            for (String type : known) {
                ps.setString(i++, type);
            }
            ps.setLong(i++, fromMs);
            ps.setLong(i++, toMs);
            ps.setLong(i, rolled);
            addCounts(ps, counts);
        }
    }

    private static void addCounts(PreparedStatement ps, Map<String, Long> counts) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
    }

    private static long rolledUpTo(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT value FROM gateway_state WHERE name = 'rollup.seq'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The cursor and the rollups must come from one snapshot, or a chunk committed between them counts twice. */
    private static <T> T inOneSnapshot(Connection c, SnapshotQuery<T> query) throws SQLException {
        c.setAutoCommit(false);
        try {
            return query.run();
        } finally {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    @FunctionalInterface
    private interface SnapshotQuery<T> {
        T run() throws SQLException;
    }
}
