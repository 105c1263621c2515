package com.retailedge.gateway.picking;

import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/orders?state=waiting|picking|picked|cancelled|late&limit=}: orders with their lines, due first. */
final class PickingApi implements ApiRoutes {
    private static final Map<String, String> FILTERS = Map.of(
            "waiting", "state = 'waiting'",
            "picking", "state = 'picking'",
            "picked", "state = 'picked'",
            "cancelled", "state = 'cancelled'",
            "late", "state IN ('waiting', 'picking') AND late = 1");

    @Override
    public void mount(Router router, ApiSupport support) {
        router.get("/api/v1/orders").handler(ctx -> orders(ctx, support));
    }

    private static void orders(RoutingContext ctx, ApiSupport support) {
        String state = ctx.request().getParam("state");
        String limitText = ctx.request().getParam("limit");
        if (state != null && !FILTERS.containsKey(state)) {
            ApiSupport.error(
                    ctx, 400, "bad-parameter", "state must be one of waiting, picking, picked, cancelled, late");
            return;
        }
        int limit;
        try {
            limit = limitText == null ? 100 : Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            ApiSupport.error(ctx, 400, "bad-parameter", "limit must be 1..1000");
            return;
        }
        int max = limit;
        support.readJson(ctx, c -> Map.of("orders", list(c, state, max)));
    }

    static List<Map<String, Object>> list(Connection c, String state, int limit) throws SQLException {
        String where = state == null ? "" : " WHERE " + FILTERS.get(state);
        String order = "picked".equals(state) ? " ORDER BY picked_ms DESC" : " ORDER BY due_ms, order_id";
        List<Map<String, Object>> orders = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT order_id, state, due_ms, pda_id, assigned_ms, picked_ms, "
                        + "late, received_ms FROM pick_order" + where + order + " LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("orderId", rs.getString(1));
                    o.put("state", rs.getString(2));
                    o.put("due", Instant.ofEpochMilli(rs.getLong(3)).toString());
                    o.put("pdaId", rs.getString(4));
                    o.put("assignedAt", time(rs, 5));
                    o.put("pickedAt", time(rs, 6));
                    o.put("late", rs.getInt(7) == 1);
                    o.put("receivedAt", time(rs, 8));
                    orders.add(o);
                }
            }
        }
        for (Map<String, Object> o : orders) {
            o.put("lines", lines(c, (String) o.get("orderId")));
        }
        return orders;
    }

    private static List<Map<String, Object>> lines(Connection c, String orderId) throws SQLException {
        List<Map<String, Object>> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT line_no, sku, qty, weight_g, picked, substitutable, "
                + "location, short_reason FROM order_line WHERE order_id = ? ORDER BY line_no")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> l = new LinkedHashMap<>();
                    l.put("lineNo", rs.getInt(1));
                    l.put("sku", rs.getString(2));
                    long qty = rs.getLong(3);
                    if (!rs.wasNull()) {
                        l.put("qty", qty);
                    }
                    long weight = rs.getLong(4);
                    if (!rs.wasNull()) {
                        l.put("weightG", weight);
                    }
                    l.put("picked", rs.getLong(5));
                    l.put("substitutionAllowed", rs.getInt(6) == 1);
                    l.put("location", rs.getString(7));
                    l.put("short", rs.getString(8));
                    lines.add(l);
                }
            }
        }
        return lines;
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms).toString();
    }
}
