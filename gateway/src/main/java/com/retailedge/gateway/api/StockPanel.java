package com.retailedge.gateway.api;

import com.retailedge.gateway.spi.DashboardPanel;
import com.retailedge.gateway.spi.StoreDay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SKUs low in stock or close to it, from the stock ledger's levels: {@code low} at or below their threshold
 * (their own, or {@code stock.replenish-threshold}), {@code near} within half the threshold (at least 2
 * units) above it; lowest cover first. A replenishment capability adds its own panel beside this one.
 */
final class StockPanel implements DashboardPanel {
    private static final int ROWS = 50;

    private final int defaultThreshold;

    StockPanel(int defaultThreshold) {
        this.defaultThreshold = defaultThreshold;
    }

    @Override
    public String name() {
        return "stock";
    }

    @Override
    public Object compute(Connection c, StoreDay day) throws SQLException {
        String threshold = "COALESCE(threshold, " + defaultThreshold + ")";
        String near = "MAX(2, " + threshold + " / 2)";
        List<Map<String, Object>> rows = new ArrayList<>();
        long count;
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM stock_level WHERE on_hand <= " + threshold + " + " + near);
                ResultSet rs = ps.executeQuery()) {
            count = rs.next() ? rs.getLong(1) : 0;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT sku, on_hand, " + threshold
                        + ", updated_ms FROM stock_level " + "WHERE on_hand <= " + threshold + " + " + near
                        + " ORDER BY on_hand - " + threshold + ", sku LIMIT " + ROWS);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("sku", rs.getString(1));
                row.put("onHand", rs.getLong(2));
                row.put("threshold", rs.getLong(3));
                row.put("state", rs.getLong(2) <= rs.getLong(3) ? "low" : "near");
                row.put("updated", StoreDay.time(rs.getLong(4)));
                rows.add(row);
            }
        }
        Map<String, Object> panel = new LinkedHashMap<>();
        panel.put("lowOrNear", count);
        panel.put("skus", rows);
        return panel;
    }
}
