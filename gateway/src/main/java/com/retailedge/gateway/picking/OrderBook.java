package com.retailedge.gateway.picking;

import com.retailedge.gateway.barcode.Barcode;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes orders and their lines inside the writer's transaction. Every query goes through a
 * primary key or an index: a scan touches one order, never the whole table. Writer thread only.
 */
final class OrderBook {
    private static final String ORDER_COLUMNS = "order_id, state, due_ms, pda_id, assigned_ms, lines_open, late";

    Order order(Tx tx, String orderId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT " + ORDER_COLUMNS + " FROM pick_order WHERE order_id = ?");
        ps.setString(1, orderId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? order(rs) : null;
        }
    }

    static Order order(ResultSet rs) throws SQLException {
        long assigned = rs.getLong(5);
        Long assignedMs = rs.wasNull() ? null : assigned;
        return new Order(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getString(4),
                assignedMs,
                rs.getInt(6),
                rs.getInt(7) == 1);
    }

    List<Line> lines(Tx tx, String orderId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT line_no, sku, qty, weight_g, picked, picked_units, substitutable, "
                + "location, name, short_reason FROM order_line WHERE order_id = ? ORDER BY line_no");
        ps.setString(1, orderId);
        List<Line> lines = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int qty = rs.getInt(3);
                Integer q = rs.wasNull() ? null : qty;
                int weight = rs.getInt(4);
                Integer w = rs.wasNull() ? null : weight;
                lines.add(new Line(
                        rs.getInt(1),
                        rs.getString(2),
                        q,
                        w,
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getInt(7) == 1,
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10)));
            }
        }
        return lines;
    }

    /**
     * The line a GTIN the order itself names belongs to, or null. The order's GTINs are stored as GTIN-14, so
     * one equality lookup finds them (an IN list builds a temporary table on every run: the profile showed it).
     */
    Integer lineOfOrderGtin(Tx tx, String orderId, Barcode barcode) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT line_no FROM order_line_gtin WHERE order_id = ? AND gtin = ?");
        ps.setString(1, orderId);
        ps.setString(2, barcode.lookupKeys().get(0));
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : null;
        }
    }

    /** The catalog SKU of a scanned GTIN (in any of its 8/12/13/14-digit forms), or null. */
    String catalogSku(Tx tx, Barcode barcode) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT sku FROM catalog_gtin WHERE gtin IN (?, ?, ?, ?) LIMIT 1");
        bindKeys(ps, 1, barcode.lookupKeys());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void bindKeys(PreparedStatement ps, int first, List<String> keys) throws SQLException {
        for (int i = 0; i < 4; i++) {
            ps.setString(first + i, keys.get(Math.min(i, keys.size() - 1)));
        }
    }

    void saveLine(Tx tx, String orderId, Line line) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE order_line SET picked = ?, picked_units = ?, short_reason = ? "
                + "WHERE order_id = ? AND line_no = ?");
        ps.setLong(1, line.picked());
        ps.setLong(2, line.pickedUnits());
        ps.setString(3, line.shortReason());
        ps.setString(4, orderId);
        ps.setInt(5, line.lineNo());
        ps.executeUpdate();
    }

    void recordPick(
            Tx tx, String orderId, Line line, String sku, long units, long amount, boolean substitute, String msgId)
            throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO order_pick (order_id, line_no, sku, units, amount, substitute, "
                + "msg_id, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, orderId);
        ps.setInt(2, line.lineNo());
        ps.setString(3, sku);
        ps.setLong(4, units);
        ps.setLong(5, amount);
        ps.setInt(6, substitute ? 1 : 0);
        ps.setString(7, msgId);
        ps.setLong(8, System.currentTimeMillis());
        ps.executeUpdate();
    }

    /** One more line of the order is done. */
    void lineDone(Tx tx, String orderId) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE pick_order SET lines_open = lines_open - 1 WHERE order_id = ?");
        ps.setString(1, orderId);
        ps.executeUpdate();
    }

    void assign(Tx tx, String orderId, String pdaId, long now) throws SQLException {
        PreparedStatement ps =
                tx.prepare("UPDATE pick_order SET state = 'picking', pda_id = ?, assigned_ms = ? WHERE order_id = ?");
        ps.setString(1, pdaId);
        ps.setLong(2, now);
        ps.setString(3, orderId);
        ps.executeUpdate();
    }

    /** Marks the order picked; late too when it was picked after its due time. */
    void picked(Tx tx, String orderId, long now) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE pick_order SET state = 'picked', picked_ms = ?, "
                + "late = CASE WHEN due_ms < ? THEN 1 ELSE late END WHERE order_id = ?");
        ps.setLong(1, now);
        ps.setLong(2, now);
        ps.setString(3, orderId);
        ps.executeUpdate();
    }

    /** Substituted picks of an order, for its picked event. */
    List<Object[]> substitutions(Tx tx, String orderId) throws SQLException {
        PreparedStatement ps = tx.prepare(
                "SELECT line_no, sku, units, amount FROM order_pick WHERE order_id = ? AND substitute = 1 ORDER BY id");
        ps.setString(1, orderId);
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getLong(4)});
            }
        }
        return rows;
    }
}
