package com.retailedge.gateway.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The outbox's small SQL: cursors, sizes and pruning. */
public final class OutboxQueries {
    private OutboxQueries() {}

    static long ackedSequence(Connection c) throws SQLException {
        return single(c, "SELECT value FROM gateway_state WHERE name = 'outbox.acked'");
    }

    static long lastSequence(Connection c) throws SQLException {
        return single(c, "SELECT COALESCE(MAX(seq), 0) FROM outbox");
    }

    static long bytesAfter(Connection c, long sequence) throws SQLException {
        return bytesBetween(c, sequence, Long.MAX_VALUE);
    }

    /** Size of the events in {@code (after, upTo]}, by the key: cheap for a short range, a scan of all after it else. */
    static long bytesBetween(Connection c, long after, long upTo) throws SQLException {
        if (upTo <= after) {
            return 0;
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COALESCE(SUM(LENGTH(body)), 0) FROM outbox WHERE seq > ? AND seq <= ?")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.getLong(1);
            }
        }
    }

    /** Writer thread: records that the cloud acknowledged everything up to {@code sequence}. */
    public static void saveAcked(Connection c, long sequence) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE gateway_state SET value = MAX(value, ?) WHERE name = 'outbox.acked'")) {
            ps.setLong(1, sequence);
            ps.executeUpdate();
        }
    }

    /** Time of the oldest event the cloud has not acknowledged, or -1 when none waits. */
    public static long oldestPendingMillis(Connection c, long ackedSequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT time_ms FROM outbox WHERE seq = ?")) {
            ps.setLong(1, ackedSequence + 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Writer thread: deletes acknowledged events older than {@code beforeMillis}; returns how many. */
    public static int pruneAcked(Connection c, long ackedSequence, long beforeMillis, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE seq <= ? AND time_ms < ? ORDER BY seq LIMIT ?)")) {
            ps.setLong(1, ackedSequence);
            ps.setLong(2, beforeMillis);
            ps.setInt(3, limit);
            return ps.executeUpdate();
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
