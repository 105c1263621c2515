package com.retailedge.gateway.buttons;

import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The reorders a button opened: {@code held} for the cancel window, {@code unconfirmed} when the press waited
 * offline too long, then {@code requested} (with {@code retail.replenishment.requested}) or {@code cancelled}.
 * At most one is open (held or unconfirmed) per button. Writer thread only.
 */
final class Reorders {
    /** An open reorder of a button. */
    record Open(String reorderId, String state, long dueMs) {}

    private final Outbox outbox;
    private volatile ReorderRequests requests;

    Reorders(Outbox outbox) {
        this.outbox = outbox;
        this.requests =
                (tx, sku, qty, buttonId, data) -> outbox.append(tx, EventTypes.REPLENISHMENT_REQUESTED, buttonId, data);
    }

    void requestThrough(ReorderRequests requests) {
        this.requests = requests;
    }

    Open findOpen(Tx tx, String buttonId) throws SQLException {
        PreparedStatement ps = tx.prepare(
                "SELECT reorder_id, state, due_ms FROM reorder WHERE button_id = ? AND state IN ('held', 'unconfirmed')");
        ps.setString(1, buttonId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Open(rs.getString(1), rs.getString(2), rs.getLong(3)) : null;
        }
    }

    /** Opens a reorder; {@code dueMs} is the end of its cancel window, or null when it waits for confirmation. */
    String open(Tx tx, String buttonId, String msgId, String sku, long qty, long pressedMs, Long dueMs)
            throws SQLException {
        String reorderId = UUID.randomUUID().toString();
        PreparedStatement ps =
                tx.prepare("INSERT INTO reorder (reorder_id, button_id, msg_id, sku, qty, state, pressed_ms, "
                        + "due_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, reorderId);
        ps.setString(2, buttonId);
        ps.setString(3, msgId);
        ps.setString(4, sku);
        ps.setLong(5, qty);
        ps.setString(6, dueMs == null ? "unconfirmed" : "held");
        ps.setLong(7, pressedMs);
        if (dueMs == null) {
            ps.setNull(8, java.sql.Types.INTEGER);
        } else {
            ps.setLong(8, dueMs);
        }
        ps.executeUpdate();
        return reorderId;
    }

    /** Cancels an open reorder; false when it was no longer open. */
    boolean cancel(Tx tx, String reorderId) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE reorder SET state = 'cancelled', closed_ms = ? "
                + "WHERE reorder_id = ? AND state IN ('held', 'unconfirmed')");
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, reorderId);
        return ps.executeUpdate() == 1;
    }

    /**
     * Requests the replenishment of a held reorder whose window closed, or of an unconfirmed one that was
     * confirmed. The event names the press that opened the reorder ({@code data.msgId}) and, when confirmed,
     * who confirmed it. False when the reorder was not in the expected state (already cancelled or requested).
     */
    boolean request(Tx tx, String reorderId, String fromState, String confirmedBy) throws SQLException {
        PreparedStatement select = tx.prepare(
                "SELECT button_id, msg_id, sku, qty, pressed_ms FROM reorder " + "WHERE reorder_id = ? AND state = ?");
        select.setString(1, reorderId);
        select.setString(2, fromState);
        Map<String, Object> data = new LinkedHashMap<>();
        String buttonId;
        String sku;
        long qty;
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
            buttonId = rs.getString(1);
            data.put("msgId", rs.getString(2));
            data.put("reorderId", reorderId);
            data.put("buttonId", buttonId);
            sku = rs.getString(3);
            qty = rs.getLong(4);
            data.put("sku", sku);
            data.put("qty", qty);
            data.put("pressedAt", Instant.ofEpochMilli(rs.getLong(5)).toString());
        }
        if (confirmedBy != null) {
            data.put("confirmedBy", confirmedBy);
        }
        PreparedStatement update =
                tx.prepare("UPDATE reorder SET state = 'requested', closed_ms = ?, due_ms = NULL WHERE reorder_id = ?");
        update.setLong(1, System.currentTimeMillis());
        update.setString(2, reorderId);
        update.executeUpdate();
        requests.request(tx, sku, qty, buttonId, data);
        return true;
    }
}
