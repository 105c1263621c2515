package com.retailedge.gateway.replenishment;

import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The planner's SQL: per-SKU settings, the plan row (what {@code /api/v1/replenishment} reads), demand per
 * day, and requests. Every statement is a primary-key or index lookup, or one SKU's 57 days. Writer thread.
 */
final class PlanStore {
    /** Reads a SKU's plan back from SQLite (after a restart or a rolled-back unit); a fresh one when none. */
    SkuPlan load(Tx tx, String sku, long today, int defaultThreshold) throws SQLException {
        SkuPlan plan = new SkuPlan(sku);
        plan.threshold = defaultThreshold;
        PreparedStatement level = tx.prepare("SELECT on_hand, threshold, low FROM stock_level WHERE sku = ?");
        level.setString(1, sku);
        try (ResultSet rs = level.executeQuery()) {
            if (rs.next()) {
                plan.onHand = rs.getLong(1);
                int t = rs.getInt(2);
                plan.threshold = rs.wasNull() ? defaultThreshold : t;
                plan.below = rs.getInt(3) == 1;
            }
        }
        PreparedStatement row = tx.prepare(
                "SELECT first_day, on_order, below, last_request_ms FROM replenishment_plan " + "WHERE sku = ?");
        row.setString(1, sku);
        try (ResultSet rs = row.executeQuery()) {
            if (rs.next()) {
                long first = rs.getLong(1);
                plan.firstDay = rs.wasNull() ? Long.MAX_VALUE : first;
                plan.onOrder = rs.getLong(2);
                plan.below = rs.getInt(3) == 1;
                plan.lastRequestMs = rs.getLong(4);
            }
        }
        PreparedStatement setting = tx.prepare("SELECT lead_time_ms, review_ms, pack_size, service_level, max_stock "
                + "FROM replenishment_setting WHERE sku = ?");
        setting.setString(1, sku);
        try (ResultSet rs = setting.executeQuery()) {
            if (rs.next()) {
                long max = rs.getLong(5);
                Long maxStock = rs.wasNull() ? null : max;
                plan.settings = new Settings(
                        Duration.ofMillis(rs.getLong(1)),
                        Duration.ofMillis(rs.getLong(2)),
                        rs.getInt(3),
                        rs.getDouble(4),
                        maxStock);
            }
        }
        PreparedStatement days = tx.prepare("SELECT day, qty FROM demand_day WHERE sku = ? AND day > ? ORDER BY day");
        days.setString(1, sku);
        days.setLong(2, today - DemandWindow.DAYS - 1);
        try (ResultSet rs = days.executeQuery()) {
            while (rs.next()) {
                plan.demand.add(rs.getLong(1), rs.getLong(2));
            }
        }
        return plan;
    }

    void addDemand(Tx tx, String sku, long day, long qty) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO demand_day (sku, day, qty) VALUES (?, ?, ?) "
                + "ON CONFLICT (sku, day) DO UPDATE SET qty = qty + excluded.qty");
        ps.setString(1, sku);
        ps.setLong(2, day);
        ps.setLong(3, qty);
        ps.executeUpdate();
    }

    void savePlan(Tx tx, SkuPlan p, long today, long nowMs) throws SQLException {
        PreparedStatement ps =
                tx.prepare("INSERT INTO replenishment_plan (sku, first_day, on_hand, on_order, threshold, "
                        + "below, basis, method, forecast_per_day, sigma, reorder_point, safety_stock, order_up_to, order_qty, "
                        + "history_days, last_request_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (sku) DO UPDATE SET first_day = excluded.first_day, on_hand = excluded.on_hand, "
                        + "on_order = excluded.on_order, threshold = excluded.threshold, below = excluded.below, "
                        + "basis = excluded.basis, method = excluded.method, forecast_per_day = excluded.forecast_per_day, "
                        + "sigma = excluded.sigma, reorder_point = excluded.reorder_point, safety_stock = excluded.safety_stock, "
                        + "order_up_to = excluded.order_up_to, order_qty = excluded.order_qty, "
                        + "history_days = excluded.history_days, last_request_ms = excluded.last_request_ms, "
                        + "updated_ms = excluded.updated_ms");
        ps.setString(1, p.sku);
        if (p.firstDay == Long.MAX_VALUE) {
            ps.setNull(2, Types.INTEGER);
        } else {
            ps.setLong(2, p.firstDay);
        }
        ps.setLong(3, p.onHand);
        ps.setLong(4, p.onOrder);
        ps.setInt(5, p.threshold);
        ps.setInt(6, p.below ? 1 : 0);
        ps.setString(7, p.plan.basis());
        ps.setString(8, p.forecast.method());
        ps.setDouble(9, p.forecast.perDay());
        ps.setDouble(10, p.forecast.sigma());
        ps.setLong(11, p.plan.reorderPoint());
        ps.setDouble(12, p.plan.safetyStock());
        ps.setLong(13, p.plan.orderUpTo());
        ps.setLong(14, p.plan.orderQty());
        ps.setInt(15, p.historyDays(today));
        ps.setLong(16, p.lastRequestMs);
        ps.setLong(17, nowMs);
        ps.executeUpdate();
    }

    void saveSettings(Tx tx, String sku, Settings s, String commandId, long nowMs) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO replenishment_setting (sku, lead_time_ms, review_ms, pack_size, "
                + "service_level, max_stock, command_id, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (sku) DO UPDATE SET lead_time_ms = excluded.lead_time_ms, review_ms = excluded.review_ms, "
                + "pack_size = excluded.pack_size, service_level = excluded.service_level, "
                + "max_stock = excluded.max_stock, command_id = excluded.command_id, updated_ms = excluded.updated_ms");
        ps.setString(1, sku);
        ps.setLong(2, s.leadTime().toMillis());
        ps.setLong(3, s.reviewPeriod().toMillis());
        ps.setInt(4, s.packSize());
        ps.setDouble(5, s.serviceLevel());
        if (s.maxStock() == null) {
            ps.setNull(6, Types.INTEGER);
        } else {
            ps.setLong(6, s.maxStock());
        }
        ps.setString(7, commandId);
        ps.setLong(8, nowMs);
        ps.executeUpdate();
    }

    /** Stores an open request; returns its id. */
    long openRequest(Tx tx, SkuPlan p, long qty, String msgId, long nowMs) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO replenishment_request (sku, state, requested_ms, qty, basis, "
                + "reorder_point, on_hand, msg_id) VALUES (?, 'open', ?, ?, ?, ?, ?, ?) RETURNING request_id");
        ps.setString(1, p.sku);
        ps.setLong(2, nowMs);
        ps.setLong(3, qty);
        ps.setString(4, p.plan.basis());
        ps.setLong(5, p.plan.reorderPoint());
        ps.setLong(6, p.onHand);
        ps.setString(7, msgId);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Closes the SKU's oldest open request with a receiving; returns its quantity, or -1 when none was open. */
    long closeOldest(Tx tx, String sku, long received, String ref, long nowMs) throws SQLException {
        PreparedStatement select = tx.prepare("SELECT request_id, qty FROM replenishment_request "
                + "WHERE sku = ? AND state = 'open' ORDER BY request_id LIMIT 1");
        select.setString(1, sku);
        long id;
        long qty;
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return -1;
            }
            id = rs.getLong(1);
            qty = rs.getLong(2);
        }
        PreparedStatement close = tx.prepare("UPDATE replenishment_request SET state = 'closed', closed_ms = ?, "
                + "received = ?, closed_by = ? WHERE request_id = ?");
        close.setLong(1, nowMs);
        close.setLong(2, received);
        close.setString(3, ref);
        close.setLong(4, id);
        close.executeUpdate();
        return qty;
    }

    /** SKUs with stock, in order, after {@code after} (null: from the first): the daily refresh's slices. */
    List<String> skusAfter(Tx tx, String after, int limit) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT sku FROM stock_level WHERE sku > ? ORDER BY sku LIMIT ?");
        ps.setString(1, after == null ? "" : after);
        ps.setInt(2, limit);
        List<String> skus = new ArrayList<>(limit);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                skus.add(rs.getString(1));
            }
        }
        return skus;
    }

    /** Drops demand days the window no longer reads, a slice at a time; returns how many went. */
    int pruneDemand(Tx tx, long beforeDay, int limit) throws SQLException {
        PreparedStatement ps = tx.prepare("DELETE FROM demand_day WHERE (sku, day) IN "
                + "(SELECT sku, day FROM demand_day WHERE day < ? LIMIT ?)");
        ps.setLong(1, beforeDay);
        ps.setInt(2, limit);
        return ps.executeUpdate();
    }
}
