package com.retailedge.gateway.labels;

import com.retailedge.gateway.store.SqlCount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only label queries for the REST API and the summary; on pooled read connections. */
final class LabelQueries {
    /** A label whose shelf price differs from what the till charges now. */
    static final String MISMATCH =
            "l.state <> 'current' AND l.price IS NOT NULL AND (l.shown_price IS NULL " + "OR l.shown_price <> l.price)";

    private final int batteryLow;
    private final long notSeenMs;

    LabelQueries(int batteryLow, long notSeenMs) {
        this.batteryLow = batteryLow;
        this.notSeenMs = notSeenMs;
    }

    /** One page of bound labels after {@code after} (by label id), optionally of one state or health flag. */
    List<Map<String, Object>> list(Connection c, String state, String flag, String after, int limit)
            throws SQLException {
        long now = System.currentTimeMillis();
        StringBuilder sql = new StringBuilder("SELECT l.label_id, l.sku, l.ap, l.state, l.reason, l.since_ms, "
                + "l.desired_version, l.ap_version, s.reported_version, s.battery, s.last_seen_ms, l.price, l.shown_price, "
                + "(" + MISMATCH
                + ") FROM label l LEFT JOIN label_state s ON s.label_id = l.label_id WHERE l.label_id > ?");
        if (state != null) {
            sql.append(" AND l.state = ?");
        }
        if ("low-battery".equals(flag)) {
            sql.append(" AND s.battery < ").append(batteryLow);
        } else if ("not-seen".equals(flag)) {
            sql.append(" AND (s.last_seen_ms IS NULL OR s.last_seen_ms < ")
                    .append(now - notSeenMs)
                    .append(')');
        } else if ("mismatch".equals(flag)) {
            sql.append(" AND ").append(MISMATCH);
        }
        sql.append(" ORDER BY l.label_id LIMIT ?");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, after);
            if (state != null) {
                ps.setString(i++, state);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs, now));
                }
            }
        }
        return rows;
    }

    private Map<String, Object> row(ResultSet rs, long now) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("labelId", rs.getString(1));
        row.put("sku", rs.getString(2));
        row.put("ap", rs.getString(3));
        row.put("state", rs.getString(4));
        row.put("reason", rs.getString(5));
        row.put("since", Instant.ofEpochMilli(rs.getLong(6)).toString());
        row.put("desiredVersion", rs.getLong(7));
        row.put("apVersion", rs.getLong(8));
        Long reported = CatalogItem.nullableLong(rs, 9);
        Long batteryValue = CatalogItem.nullableLong(rs, 10);
        Integer battery = batteryValue == null ? null : batteryValue.intValue();
        Long lastSeen = CatalogItem.nullableLong(rs, 11);
        row.put("reportedVersion", reported);
        row.put("battery", battery);
        row.put(
                "lastSeen",
                lastSeen == null ? null : Instant.ofEpochMilli(lastSeen).toString());
        row.put("price", rs.getString(12));
        row.put("shownPrice", rs.getString(13));
        row.put("mismatch", rs.getBoolean(14));
        row.put("lowBattery", battery != null && battery < batteryLow);
        row.put("notSeen", lastSeen == null || lastSeen < now - notSeenMs);
        return row;
    }

    /** The {@code labels} summary section: current counts (labels are state, not a flow over the window). */
    Map<String, Object> summary(Connection c) throws SQLException {
        long now = System.currentTimeMillis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", SqlCount.of(c, "SELECT COUNT(*) FROM device WHERE kind = 'label'"));
        Map<String, Long> byState = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM label GROUP BY state");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byState.put(rs.getString(1), rs.getLong(2));
            }
        }
        for (String state : List.of(LabelBook.CURRENT, LabelBook.PENDING, LabelBook.FAILED)) {
            body.put(state, byState.getOrDefault(state, 0L));
        }
        body.put(
                "lowBattery",
                SqlCount.of(
                        c,
                        "SELECT COUNT(*) FROM device d JOIN label_state s ON s.label_id = d.device_id "
                                + "WHERE d.kind = 'label' AND s.battery < " + batteryLow));
        body.put(
                "notSeen",
                SqlCount.of(
                        c,
                        "SELECT COUNT(*) FROM device d LEFT JOIN label_state s ON s.label_id = d.device_id "
                                + "WHERE d.kind = 'label' AND (s.last_seen_ms IS NULL OR s.last_seen_ms < "
                                + (now - notSeenMs) + ")"));
        body.put("mismatches", SqlCount.of(c, "SELECT COUNT(*) FROM label l WHERE " + MISMATCH));
        List<Map<String, Object>> worst = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT label_id, state, reason, sku, ap, since_ms FROM label "
                        + "WHERE state IN ('failed', 'pending') ORDER BY CASE state WHEN 'failed' THEN 0 ELSE 1 END, since_ms, "
                        + "label_id LIMIT 10");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("labelId", rs.getString(1));
                w.put("state", rs.getString(2));
                w.put("reason", rs.getString(3));
                w.put("sku", rs.getString(4));
                w.put("ap", rs.getString(5));
                w.put("since", Instant.ofEpochMilli(rs.getLong(6)).toString());
                worst.add(w);
            }
        }
        body.put("worst", worst);
        return body;
    }
}
