package com.retailedge.gateway.replenishment;

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
 * The dashboard's {@code replenishment} part: SKUs with a request open (on order) or at or within a day's
 * forecast of their reorder point, the most urgent first (fewest days of cover on hand), so the store manager
 * sees what is about to be ordered and what is already on order. Aggregate stock data only, like the rest of the
 * tokenless dashboard.
 */
final class ReplenishmentPanel implements DashboardPanel {
    /** A tablet screen's worth; the API lists every SKU. */
    private static final int SHOWN = 20;

    @Override
    public String name() {
        return "replenishment";
    }

    @Override
    public Object compute(Connection c, StoreDay day) throws SQLException {
        List<Map<String, Object>> skus = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT p.sku, coalesce(l.on_hand, 0) AS on_hand, p.on_order, "
                + "p.reorder_point, p.forecast_per_day, p.order_qty, p.basis FROM replenishment_plan p "
                + "LEFT JOIN stock_level l ON l.sku = p.sku "
                + "WHERE p.on_order > 0 OR coalesce(l.on_hand, 0) + p.on_order <= p.reorder_point + p.forecast_per_day "
                + "ORDER BY coalesce(l.on_hand, 0) / max(p.forecast_per_day, 0.001), p.sku LIMIT ?")) {
            ps.setInt(1, SHOWN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> sku = new LinkedHashMap<>();
                    long onHand = rs.getLong("on_hand");
                    double perDay = rs.getDouble("forecast_per_day");
                    sku.put("sku", rs.getString("sku"));
                    sku.put("onHand", onHand);
                    sku.put("onOrder", rs.getLong("on_order"));
                    sku.put("reorderPoint", rs.getLong("reorder_point"));
                    sku.put("orderQty", rs.getLong("order_qty"));
                    sku.put("basis", rs.getString("basis"));
                    sku.put("daysOfCover", perDay > 0 ? Math.round(Math.max(0, onHand) / perDay * 10) / 10.0 : null);
                    skus.add(sku);
                }
            }
        }
        return Map.of("skus", skus);
    }
}
