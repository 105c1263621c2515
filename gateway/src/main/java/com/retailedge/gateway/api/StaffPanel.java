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
 * What staff must act on: open staff calls, empty shelves and member arrivals (most urgent first), those
 * acknowledged today with who acknowledged them, and reorders still in their cancel window or waiting for
 * confirmation, with the ones requested today. A member notice shows only its kind, tier and camera: the
 * page is open to the shop network, so no member id, greeting or notes.
 */
final class StaffPanel implements DashboardPanel {
    private static final int ROWS = 50;

    @Override
    public String name() {
        return "staff";
    }

    @Override
    public Object compute(Connection c, StoreDay day) throws SQLException {
        Map<String, Object> panel = new LinkedHashMap<>();
        panel.put(
                "openNotices",
                notices(
                        c,
                        "SELECT kind, source_id, priority, created_ms, NULL, NULL, "
                                + "json_extract(body, '$.aisle'), json_extract(body, '$.sku'), json_extract(body, '$.tier') FROM notice "
                                + "WHERE state = 'open' AND (expires_ms IS NULL OR expires_ms > ?) ORDER BY priority, created_ms LIMIT "
                                + ROWS,
                        day.nowMs()));
        panel.put(
                "ackedToday",
                notices(
                        c,
                        "SELECT kind, source_id, priority, created_ms, acked_ms, acked_by, "
                                + "json_extract(body, '$.aisle'), json_extract(body, '$.sku'), json_extract(body, '$.tier') FROM notice "
                                + "WHERE state = 'acked' AND acked_ms >= ? ORDER BY acked_ms DESC LIMIT " + ROWS,
                        day.startMs()));
        panel.put(
                "reorders",
                reorders(
                        c,
                        "SELECT button_id, sku, qty, state, pressed_ms, due_ms, closed_ms FROM reorder "
                                + "WHERE state IN ('held', 'unconfirmed') ORDER BY pressed_ms LIMIT " + ROWS,
                        null));
        panel.put(
                "requestedToday",
                reorders(
                        c,
                        "SELECT button_id, sku, qty, state, pressed_ms, due_ms, closed_ms FROM "
                                + "reorder WHERE state = 'requested' AND closed_ms >= ? ORDER BY closed_ms DESC LIMIT "
                                + ROWS,
                        day.startMs()));
        return panel;
    }

    private static List<Map<String, Object>> notices(Connection c, String sql, long bound) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, bound);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    String kind = rs.getString(1);
                    row.put("kind", kind);
                    row.put("sourceId", rs.getString(2));
                    row.put("priority", rs.getInt(3));
                    row.put("createdAt", StoreDay.time(rs.getLong(4)));
                    row.put("ackedAt", rs.getObject(5) == null ? null : StoreDay.time(rs.getLong(5)));
                    row.put("ackedBy", rs.getString(6));
                    boolean member = "member".equals(kind);
                    row.put("aisle", member ? null : rs.getString(7));
                    row.put("sku", member ? null : rs.getString(8));
                    row.put("tier", member ? rs.getString(9) : null);
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static List<Map<String, Object>> reorders(Connection c, String sql, Long bound) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (bound != null) {
                ps.setLong(1, bound);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("buttonId", rs.getString(1));
                    row.put("sku", rs.getString(2));
                    row.put("qty", rs.getLong(3));
                    row.put("state", rs.getString(4));
                    row.put("pressedAt", StoreDay.time(rs.getLong(5)));
                    row.put("cancelUntil", rs.getObject(6) == null ? null : StoreDay.time(rs.getLong(6)));
                    row.put("requestedAt", rs.getObject(7) == null ? null : StoreDay.time(rs.getLong(7)));
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
