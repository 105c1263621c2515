package com.retailedge.gateway.replenishment;

import com.retailedge.gateway.spi.SummarySection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code replenishment} in the summary: requests made within the window, and now: SKUs planned, those at or
 * below their reorder point, those near it (position within a day's forecast above it), open requests and
 * units on order. What the dashboard shows as "to reorder".
 */
final class ReplenishmentSummary implements SummarySection {
    @Override
    public String name() {
        return "replenishment";
    }

    @Override
    public Object compute(Connection c, long fromMs, long toMs) throws SQLException {
        Map<String, Object> part = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM replenishment_request " + "WHERE requested_ms >= ? AND requested_ms < ?")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                part.put("requests", rs.getLong(1));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*), "
                                + "coalesce(sum(coalesce(l.on_hand, 0) + p.on_order <= p.reorder_point), 0), "
                                + "coalesce(sum(coalesce(l.on_hand, 0) + p.on_order > p.reorder_point "
                                + "AND coalesce(l.on_hand, 0) + p.on_order <= p.reorder_point + p.forecast_per_day), 0), "
                                + "coalesce(sum(p.on_order), 0) FROM replenishment_plan p LEFT JOIN stock_level l ON l.sku = p.sku");
                ResultSet rs = ps.executeQuery()) {
            part.put("skus", rs.getLong(1));
            part.put("atReorderPoint", rs.getLong(2));
            part.put("nearReorderPoint", rs.getLong(3));
            part.put("onOrder", rs.getLong(4));
        }
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM replenishment_request WHERE state = 'open'");
                ResultSet rs = ps.executeQuery()) {
            part.put("openRequests", rs.getLong(1));
        }
        return part;
    }
}
