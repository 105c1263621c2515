package com.retailedge.gateway.stock;

import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Books stock movements. Each movement is a {@code stock_move} row; {@code stock_level} keeps the running sum
 * in the same transaction, so reading a SKU's stock is one lookup however long the ledger grows. Every change
 * is handed to the {@link Watcher} in the same transaction: replenishment decides there whether to ask for
 * more (the one source of {@code retail.replenishment.requested} for stock levels). {@code low} still marks a
 * SKU at or below its threshold for {@code /api/v1/stock}. Writer thread only.
 */
public final class StockLedger {
    /** What moved stock: the ledger's {@code kind}. */
    public enum Kind {
        PICK("pick"),
        RECEIVING("receiving"),
        COUNT("count"),
        SALE("sale");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** Who caused a movement: a device message (msgId, device id) or an entity (command, admin). */
    public record Cause(String subject, String msgId, String ref) {}

    /**
     * One booked change of a SKU's stock: {@code kind} null when only its threshold changed; {@code atMs} is
     * when the movement happened (a sale's own time), {@code threshold} the effective one.
     */
    public record Change(String sku, long delta, Kind kind, long onHand, int threshold, long atMs, Cause cause) {}

    /** Sees every change in the transaction that books it; writer thread. */
    @FunctionalInterface
    public interface Watcher {
        void changed(Tx tx, Change change) throws SQLException;
    }

    private final Outbox outbox;
    private final int defaultThreshold;
    private volatile Watcher watcher = (tx, change) -> {};

    public StockLedger(Outbox outbox, int defaultThreshold) {
        this.outbox = outbox;
        this.defaultThreshold = defaultThreshold;
    }

    /** Hands every change to {@code watcher} (replenishment); call while wiring, before stock moves. */
    public void watchWith(Watcher watcher) {
        this.watcher = watcher;
    }

    /** Books {@code delta} units of {@code sku} now; returns the new stock. */
    public long move(Tx tx, String sku, long delta, Kind kind, Cause cause) throws SQLException {
        return move(tx, sku, delta, kind, cause, System.currentTimeMillis());
    }

    /** Books {@code delta} units of {@code sku} that moved at {@code atMs}; returns the new stock. */
    public long move(Tx tx, String sku, long delta, Kind kind, Cause cause, long atMs) throws SQLException {
        Level before = level(tx, sku);
        long onHand = before.onHand() + delta;
        long now = System.currentTimeMillis();
        PreparedStatement insert =
                tx.prepare("INSERT INTO stock_move (at_ms, sku, delta, kind, ref) VALUES (?, ?, ?, ?, ?)");
        insert.setLong(1, atMs);
        insert.setString(2, sku);
        insert.setLong(3, delta);
        insert.setString(4, kind.wire());
        insert.setString(5, cause.ref());
        insert.executeUpdate();
        int threshold = before.threshold() == null ? defaultThreshold : before.threshold();
        boolean low = onHand <= threshold;
        save(tx, sku, onHand, before.threshold(), low, now);

        Map<String, Object> data = traced(cause);
        data.put("sku", sku);
        data.put("kind", kind.wire());
        data.put("delta", delta);
        data.put("onHand", onHand);
        data.put("at", java.time.Instant.ofEpochMilli(atMs).toString());
        if (cause.ref() != null) {
            data.put("ref", cause.ref());
        }
        outbox.append(tx, EventTypes.STOCK_CHANGED, cause.subject(), data);
        watcher.changed(tx, new Change(sku, delta, kind, onHand, threshold, atMs, cause));
        return onHand;
    }

    /** Books a stock count: the difference between what was counted and what the ledger says. */
    public long count(Tx tx, String sku, long counted, Cause cause) throws SQLException {
        return move(tx, sku, counted - level(tx, sku).onHand(), Kind.COUNT, cause);
    }

    /** Sets a SKU's own threshold; null returns it to the configured default. The watcher sees the new one. */
    public void threshold(Tx tx, String sku, Integer threshold) throws SQLException {
        Level before = level(tx, sku);
        int effective = threshold == null ? defaultThreshold : threshold;
        long now = System.currentTimeMillis();
        save(tx, sku, before.onHand(), threshold, before.low() && before.onHand() <= effective, now);
        watcher.changed(tx, new Change(sku, 0, null, before.onHand(), effective, now, new Cause(sku, null, null)));
    }

    private record Level(long onHand, Integer threshold, boolean low) {}

    /**
     * A SKU never booked stands at 0 and counts as low already: it has not been above its threshold, so
     * there is no crossing to report until it has been.
     */
    private Level level(Tx tx, String sku) throws SQLException {
        PreparedStatement select = tx.prepare("SELECT on_hand, threshold, low FROM stock_level WHERE sku = ?");
        select.setString(1, sku);
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return new Level(0, null, true);
            }
            long onHand = rs.getLong(1);
            int t = rs.getInt(2);
            Integer threshold = rs.wasNull() ? null : t;
            return new Level(onHand, threshold, rs.getInt(3) == 1);
        }
    }

    private static void save(Tx tx, String sku, long onHand, Integer threshold, boolean low, long now)
            throws SQLException {
        PreparedStatement upsert =
                tx.prepare("INSERT INTO stock_level (sku, on_hand, threshold, low, updated_ms) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (sku) DO UPDATE SET on_hand = excluded.on_hand, threshold = excluded.threshold, "
                        + "low = excluded.low, updated_ms = excluded.updated_ms");
        upsert.setString(1, sku);
        upsert.setLong(2, onHand);
        if (threshold == null) {
            upsert.setNull(3, java.sql.Types.INTEGER);
        } else {
            upsert.setInt(3, threshold);
        }
        upsert.setInt(4, low ? 1 : 0);
        upsert.setLong(5, now);
        upsert.executeUpdate();
    }

    private static Map<String, Object> traced(Cause cause) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (cause.msgId() != null) {
            data.put("msgId", cause.msgId());
        }
        return data;
    }
}
