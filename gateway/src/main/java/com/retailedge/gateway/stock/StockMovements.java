package com.retailedge.gateway.stock;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Receiving, sales and stock counts, and per-SKU thresholds, as the cloud's {@code stock} command and the
 * admin API send them: {@code {"movements":[{"sku","kind":"receiving"|"sale"|"count","qty"}],
 * "thresholds":[{"sku","threshold"}]}}. Everything is validated before anything is booked.
 */
public final class StockMovements {
    private static final int MAX_TEXT = 256;

    /** One validated entry. */
    record Movement(String sku, StockLedger.Kind kind, long qty) {}

    /** One validated threshold; null returns the SKU to the configured default. */
    record Threshold(String sku, Integer threshold) {}

    private final List<Movement> movements;
    private final List<Threshold> thresholds;

    private StockMovements(List<Movement> movements, List<Threshold> thresholds) {
        this.movements = movements;
        this.thresholds = thresholds;
    }

    public static StockMovements parse(JsonNode body, RejectReason reason) throws Rejection {
        JsonNode movementList = body.get("movements");
        JsonNode thresholdList = body.get("thresholds");
        if (movementList == null && thresholdList == null) {
            throw new Rejection(reason, "needs 'movements' or 'thresholds'");
        }
        List<Movement> movements = new ArrayList<>();
        for (JsonNode entry : list(movementList, "movements", reason)) {
            String where = "movements[" + movements.size() + "]";
            String sku = sku(entry, where, reason);
            StockLedger.Kind kind = kind(entry.path("kind").asText(""), where, reason);
            JsonNode qty = entry.get("qty");
            long min = kind == StockLedger.Kind.COUNT ? 0 : 1;
            if (qty == null
                    || !qty.isIntegralNumber()
                    || !qty.canConvertToLong()
                    || qty.longValue() < min
                    || qty.longValue() > 1_000_000_000L) {
                throw new Rejection(reason, where + ": 'qty' must be a whole number " + min + "..1000000000");
            }
            movements.add(new Movement(sku, kind, qty.longValue()));
        }
        List<Threshold> thresholds = new ArrayList<>();
        for (JsonNode entry : list(thresholdList, "thresholds", reason)) {
            String where = "thresholds[" + thresholds.size() + "]";
            String sku = sku(entry, where, reason);
            JsonNode t = entry.get("threshold");
            if (t != null && !t.isNull() && (!t.isIntegralNumber() || t.longValue() < 0 || t.longValue() > 1_000_000)) {
                throw new Rejection(reason, where + ": 'threshold' must be a whole number 0..1000000 or null");
            }
            thresholds.add(new Threshold(sku, t == null || t.isNull() ? null : t.intValue()));
        }
        return new StockMovements(List.copyOf(movements), List.copyOf(thresholds));
    }

    /** Books every entry; {@code ref} names the cause (command id, or {@code admin}). Writer thread. */
    public String apply(Tx tx, StockLedger ledger, String ref) throws SQLException {
        for (Threshold t : thresholds) {
            ledger.threshold(tx, t.sku(), t.threshold());
        }
        for (Movement m : movements) {
            StockLedger.Cause cause = new StockLedger.Cause(m.sku(), null, ref);
            switch (m.kind()) {
                case COUNT -> ledger.count(tx, m.sku(), m.qty(), cause);
                case SALE -> ledger.move(tx, m.sku(), -m.qty(), m.kind(), cause);
                default -> ledger.move(tx, m.sku(), m.qty(), m.kind(), cause);
            }
        }
        return movements.size() + " movements, " + thresholds.size() + " thresholds";
    }

    private static Iterable<JsonNode> list(JsonNode node, String name, RejectReason reason) throws Rejection {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new Rejection(reason, "'" + name + "' must be a list");
        }
        for (JsonNode entry : node) {
            if (!entry.isObject()) {
                throw new Rejection(reason, "every entry of '" + name + "' must be an object");
            }
        }
        return node;
    }

    private static String sku(JsonNode entry, String where, RejectReason reason) throws Rejection {
        JsonNode sku = entry.get("sku");
        if (sku == null
                || !sku.isTextual()
                || sku.textValue().isBlank()
                || sku.textValue().length() > MAX_TEXT) {
            throw new Rejection(reason, where + ": 'sku' must be a non-empty string");
        }
        return sku.textValue();
    }

    private static StockLedger.Kind kind(String text, String where, RejectReason reason) throws Rejection {
        switch (text) {
            case "receiving":
                return StockLedger.Kind.RECEIVING;
            case "sale":
                return StockLedger.Kind.SALE;
            case "count":
                return StockLedger.Kind.COUNT;
            default:
                throw new Rejection(reason, where + ": 'kind' must be receiving, sale or count");
        }
    }
}
