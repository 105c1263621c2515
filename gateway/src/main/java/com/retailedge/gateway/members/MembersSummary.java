package com.retailedge.gateway.members;

import com.retailedge.gateway.spi.SummarySection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code members} in the summary: visits started in the window, by tier, and recognitions of unknown references. */
final class MembersSummary implements SummarySection {
    @Override
    public String name() {
        return "members";
    }

    @Override
    public Object compute(Connection c, long fromMs, long toMs) throws SQLException {
        Map<String, Object> byTier = new LinkedHashMap<>();
        for (String tier : new String[] {"L1", "L2", "L3", "L4"}) {
            byTier.put(tier, 0L);
        }
        long visits = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT tier, COUNT(*) FROM member_visit "
                + "WHERE started_ms >= ? AND started_ms < ? GROUP BY tier ORDER BY tier")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byTier.put(rs.getString(1), rs.getLong(2));
                    visits += rs.getLong(2);
                }
            }
        }
        long unknown;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM member_miss " + "WHERE outcome = 'unknown' AND at_ms >= ? AND at_ms < ?")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                unknown = rs.next() ? rs.getLong(1) : 0;
            }
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("visits", visits);
        section.put("visitsByTier", byTier);
        section.put("unknownRefs", unknown);
        return section;
    }
}
