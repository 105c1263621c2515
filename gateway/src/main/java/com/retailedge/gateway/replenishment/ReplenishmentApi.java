package com.retailedge.gateway.replenishment;

import com.retailedge.gateway.config.Durations;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import io.vertx.ext.web.Router;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/replenishment?sku=}: per SKU its stock, what is on order (and the open requests), the
 * forecast, the reorder point, what it would order now, days of cover, the basis and the last request's time.
 * Reads the planner's mirror in SQLite on a worker thread; all SKUs in SKU order, or the one asked for.
 */
final class ReplenishmentApi implements ApiRoutes {
    private static final String SELECT =
            "SELECT p.sku, coalesce(l.on_hand, 0), p.on_order, p.forecast_per_day, p.sigma, "
                    + "p.reorder_point, p.safety_stock, p.order_up_to, p.order_qty, p.basis, p.method, p.history_days, "
                    + "p.threshold, p.last_request_ms, p.updated_ms, s.lead_time_ms, s.review_ms, s.pack_size, s.service_level, "
                    + "s.max_stock FROM replenishment_plan p LEFT JOIN replenishment_setting s ON s.sku = p.sku "
                    + "LEFT JOIN stock_level l ON l.sku = p.sku";

    @Override
    public void mount(Router router, ApiSupport support) {
        router.get("/api/v1/replenishment").handler(ctx -> {
            String sku = ctx.request().getParam("sku");
            support.readJson(ctx, c -> read(c, sku));
        });
    }

    private static Object read(Connection c, String sku) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(SELECT + (sku == null ? " ORDER BY p.sku" : " WHERE p.sku = ?"))) {
            if (sku != null) {
                ps.setString(1, sku);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        if (sku != null && rows.size() == 1) {
            rows.get(0).put("openRequests", openRequests(c, sku));
        }
        return Map.of("replenishment", rows);
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sku", rs.getString(1));
        long onHand = rs.getLong(2);
        double perDay = rs.getDouble(4);
        row.put("onHand", onHand);
        row.put("onOrder", rs.getLong(3));
        row.put("forecastPerDay", ReplenishmentPlanner.round(perDay));
        row.put("sigmaPerDay", ReplenishmentPlanner.round(rs.getDouble(5)));
        row.put("reorderPoint", rs.getLong(6));
        row.put("safetyStock", ReplenishmentPlanner.round(rs.getDouble(7)));
        row.put("orderUpTo", rs.getLong(8));
        row.put("orderQty", rs.getLong(9));
        row.put("daysOfCover", perDay > 0 ? ReplenishmentPlanner.round(Math.max(0, onHand) / perDay) : null);
        row.put("basis", rs.getString(10));
        row.put("method", rs.getString(11));
        row.put("historyDays", rs.getInt(12));
        row.put("threshold", rs.getInt(13));
        long last = rs.getLong(14);
        row.put("lastRequestAt", last == 0 ? null : Instant.ofEpochMilli(last).toString());
        row.put("updated", Instant.ofEpochMilli(rs.getLong(15)).toString());
        long lead = rs.getLong(16);
        boolean configured = !rs.wasNull();
        Settings s = configured
                ? new Settings(
                        Duration.ofMillis(lead),
                        Duration.ofMillis(rs.getLong(17)),
                        rs.getInt(18),
                        rs.getDouble(19),
                        null)
                : Settings.DEFAULT;
        long max = rs.getLong(20);
        row.put("leadTime", Durations.format(s.leadTime()));
        row.put("reviewPeriod", Durations.format(s.reviewPeriod()));
        row.put("packSize", s.packSize());
        row.put("serviceLevel", s.serviceLevel());
        row.put("maxStock", configured && !rs.wasNull() ? max : null);
        row.put("configured", configured);
        return row;
    }

    private static List<Map<String, Object>> openRequests(Connection c, String sku) throws SQLException {
        List<Map<String, Object>> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT request_id, requested_ms, qty, basis, reorder_point "
                + "FROM replenishment_request WHERE sku = ? AND state = 'open' ORDER BY request_id")) {
            ps.setString(1, sku);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("requestId", rs.getLong(1));
                    r.put("requestedAt", Instant.ofEpochMilli(rs.getLong(2)).toString());
                    r.put("qty", rs.getLong(3));
                    r.put("basis", rs.getString(4));
                    r.put("reorderPoint", rs.getLong(5));
                    open.add(r);
                }
            }
        }
        return open;
    }
}
