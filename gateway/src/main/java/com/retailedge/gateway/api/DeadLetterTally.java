package com.retailedge.gateway.api;

import com.retailedge.gateway.spi.StoreDay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Today's dead letters by reason, counted incrementally: each snapshot reads only the rows added since the
 * last one (by id, the table's rowid), so a flood of garbage does not make every dashboard second scan it.
 * At a new day the first id of the day is found by a binary search over ids (ids and times rise together).
 * Used from one worker at a time; synchronized all the same.
 */
final class DeadLetterTally {
    private long dayStartMs = Long.MIN_VALUE;
    private long countedTo;
    private final Map<String, Long> byReason = new TreeMap<>();

    synchronized Map<String, Long> today(Connection c, StoreDay day) throws SQLException {
        if (day.startMs() != dayStartMs) {
            dayStartMs = day.startMs();
            byReason.clear();
            countedTo = firstIdAtOrAfter(c, dayStartMs) - 1;
        }
        long last = single(c, "SELECT COALESCE(MAX(id), 0) FROM dead_letter", 0);
        if (last > countedTo) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT reason, COUNT(*) FROM dead_letter WHERE id > ? AND id <= ? GROUP BY reason")) {
                ps.setLong(1, countedTo);
                ps.setLong(2, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byReason.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    }
                }
            }
            countedTo = last;
        }
        return new TreeMap<>(byReason);
    }

    private static long firstIdAtOrAfter(Connection c, long startMs) throws SQLException {
        long lo = single(c, "SELECT COALESCE(MIN(id), 1) FROM dead_letter", 1);
        long hi = single(c, "SELECT COALESCE(MAX(id), 0) FROM dead_letter", 0) + 1;
        try (PreparedStatement next =
                c.prepareStatement("SELECT id, at_ms FROM dead_letter WHERE id >= ? ORDER BY id LIMIT 1")) {
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                next.setLong(1, mid);
                try (ResultSet rs = next.executeQuery()) {
                    if (!rs.next()) {
                        hi = mid;
                    } else if (rs.getLong(2) >= startMs) {
                        hi = Math.min(mid, rs.getLong(1));
                    } else {
                        lo = rs.getLong(1) + 1;
                    }
                }
            }
        }
        return lo;
    }

    private static long single(Connection c, String sql, long fallback) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : fallback;
        }
    }
}
