package com.retailedge.gateway.picking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.gateway.barcode.BadBarcodeException;
import com.retailedge.gateway.barcode.Barcode;
import com.retailedge.gateway.barcode.Gs1Barcodes;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.PdaActions;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The picking rules for what a PDA sends: a scan is accepted only when its barcode is valid, its order exists,
 * is open and is this PDA's (or still waiting: then it becomes this PDA's), the item belongs to a line of the
 * order, and the line is not over-picked. Shorts and substitutions follow the same order checks. Accepted
 * actions move the order, the stock ledger and the outbox in the transaction that records the message.
 * Writer thread only.
 */
final class PickingRules implements PdaActions {
    private final OrderBook book;
    private final Assigner assigner;
    private final OrderCompletion completion;
    private final StockLedger ledger;
    private final Outbox outbox;
    private final PickLights lights;
    private final int tolerance;

    PickingRules(
            OrderBook book,
            Assigner assigner,
            OrderCompletion completion,
            StockLedger ledger,
            Outbox outbox,
            PickLights lights,
            int tolerance) {
        this.book = book;
        this.assigner = assigner;
        this.completion = completion;
        this.ledger = ledger;
        this.outbox = outbox;
        this.lights = lights;
        this.tolerance = tolerance;
    }

    @Override
    public Answer answer(Tx tx, DeviceMessage message) throws SQLException {
        try {
            if (message instanceof DeviceMessage.Scan scan) {
                return scanned(tx, scan);
            } else if (message instanceof DeviceMessage.Short s) {
                return shorted(tx, s);
            } else if (message instanceof DeviceMessage.Substitute s) {
                return substituted(tx, s);
            }
            throw new IllegalArgumentException("not a PDA action: " + message.channel());
        } catch (Refusal refusal) {
            return new Answer(refusal.reply.toString(), refusal.rejection);
        }
    }

    @Override
    public void statusChanged(Tx tx, DeviceMessage.PdaStatus status) throws SQLException {
        switch (status.state()) {
            case "idle" -> assigner.pdaIdle(tx, status.deviceId());
            case "off" -> assigner.pdaOff(tx, status.deviceId());
            default -> {
                // busy: keeps its orders, gets no new ones
            }
        }
    }

    private Answer scanned(Tx tx, DeviceMessage.Scan scan) throws SQLException, Refusal {
        Barcode barcode = parse(scan.msgId(), scan.orderId(), scan.barcode());
        Order order = openOrderOf(tx, scan.deviceId(), scan.msgId(), scan.orderId());
        List<Line> lines = book.lines(tx, order.orderId());
        Line line = lineFor(tx, order, lines, barcode);
        if (line == null) {
            throw refuse(
                    scan.msgId(),
                    order,
                    lines,
                    RejectReason.WRONG_ITEM,
                    "barcode '" + scan.barcode() + "' is not an item of order " + order.orderId());
        }
        long amount = amountOf(scan.msgId(), order, lines, line, barcode, scan.qty());
        Line after = pick(tx, scan.deviceId(), scan.msgId(), order, lines, line, line.sku(), amount, scan.qty(), false);

        Map<String, Object> data = traced(scan);
        data.put("pdaId", scan.deviceId());
        data.put("orderId", order.orderId());
        data.put("barcode", scan.barcode());
        data.put("qty", scan.qty());
        data.put("sku", line.sku());
        data.put("lineNo", line.lineNo());
        if (barcode.weightGrams() != null) {
            data.put("weightG", barcode.weightGrams());
        }
        outbox.append(tx, EventTypes.SCAN_ACCEPTED, scan.deviceId(), data);
        return accept(tx, scan, order, lines, after);
    }

    private Answer shorted(Tx tx, DeviceMessage.Short s) throws SQLException, Refusal {
        Order order = openOrderOf(tx, s.deviceId(), s.msgId(), s.orderId());
        List<Line> lines = book.lines(tx, order.orderId());
        Line line = lineOfSku(s.msgId(), order, lines, s.sku());
        claim(tx, order, s.deviceId());
        Line after = line.shorted(s.reason());
        book.saveLine(tx, order.orderId(), after);
        lineFinished(tx, order, after);
        return accept(tx, s, order, lines, after);
    }

    private Answer substituted(Tx tx, DeviceMessage.Substitute s) throws SQLException, Refusal {
        Order order = openOrderOf(tx, s.deviceId(), s.msgId(), s.orderId());
        List<Line> lines = book.lines(tx, order.orderId());
        Line line = lineOfSku(s.msgId(), order, lines, s.sku());
        if (!line.substitutable()) {
            throw refuse(
                    s.msgId(),
                    order,
                    lines,
                    RejectReason.SUBSTITUTION_NOT_ALLOWED,
                    "order " + order.orderId() + " allows no substitute for " + line.sku());
        }
        Barcode barcode = parse(s.msgId(), s.orderId(), s.barcode());
        String substitute = book.catalogSku(tx, barcode);
        if (substitute == null || substitute.equals(line.sku())) {
            throw refuse(
                    s.msgId(),
                    order,
                    lines,
                    RejectReason.WRONG_ITEM,
                    substitute == null
                            ? "barcode '" + s.barcode() + "' is not in the catalog"
                            : "that is the ordered item itself; scan it instead");
        }
        long amount = amountOf(s.msgId(), order, lines, line, barcode, s.qty());
        Line after = pick(tx, s.deviceId(), s.msgId(), order, lines, line, substitute, amount, s.qty(), true);
        return accept(tx, s, order, lines, after);
    }

    /** Books a pick of {@code units} packs ({@code amount} items or grams) of {@code sku} on the line. */
    private Line pick(
            Tx tx,
            String pdaId,
            String msgId,
            Order order,
            List<Line> lines,
            Line line,
            String sku,
            long amount,
            long units,
            boolean substitute)
            throws SQLException, Refusal {
        if (line.picked() + amount > line.ceiling(tolerance)) {
            throw refuse(
                    msgId,
                    order,
                    lines,
                    RejectReason.OVER_PICK,
                    "line " + line.lineNo() + " (" + line.sku() + ") needs " + line.left()
                            + (line.weighed() ? " g" : "") + " more; this is " + amount);
        }
        claim(tx, order, pdaId);
        Line after = line.plus(amount, units);
        book.saveLine(tx, order.orderId(), after);
        book.recordPick(tx, order.orderId(), line, sku, units, amount, substitute, msgId);
        ledger.move(tx, sku, -units, StockLedger.Kind.PICK, new StockLedger.Cause(pdaId, msgId, order.orderId()));
        if (after.complete(tolerance) && !line.complete(tolerance)) {
            lineFinished(tx, order, after);
        }
        return after;
    }

    private void lineFinished(Tx tx, Order order, Line line) throws SQLException {
        book.lineDone(tx, order.orderId());
        lights.clear(tx, order.orderId(), line.sku());
    }

    /** The contract: a PDA's first accepted action on a waiting order makes the order that PDA's. */
    private void claim(Tx tx, Order order, String pdaId) throws SQLException {
        if (Order.WAITING.equals(order.state())) {
            assigner.assign(tx, order.orderId(), pdaId, System.currentTimeMillis());
        }
    }

    private Answer accept(Tx tx, DeviceMessage message, Order order, List<Line> before, Line changed)
            throws SQLException {
        List<Line> lines = before.stream()
                .map(l -> l.lineNo() == changed.lineNo() ? changed : l)
                .toList();
        ObjectNode reply = PickJson.accepted(message.msgId(), order.orderId());
        reply.put("sku", changed.sku());
        reply.put("lineNo", changed.lineNo());
        PickJson.left(reply, lines, tolerance);
        if (lines.stream().allMatch(l -> l.done(tolerance))) {
            completion.complete(tx, message, order.orderId());
        }
        return new Answer(reply.toString(), null);
    }

    private Barcode parse(String msgId, String orderId, String text) throws Refusal {
        try {
            return Gs1Barcodes.parse(text);
        } catch (BadBarcodeException e) {
            Rejection rejection = new Rejection(RejectReason.BAD_BARCODE, e.getMessage());
            throw new Refusal(PickJson.rejected(msgId, orderId, rejection), rejection);
        }
    }

    private Order openOrderOf(Tx tx, String pdaId, String msgId, String orderId) throws SQLException, Refusal {
        Order order = book.order(tx, orderId);
        if (order == null) {
            Rejection rejection = new Rejection(RejectReason.UNKNOWN_ORDER, "no order '" + orderId + "' in this store");
            throw new Refusal(PickJson.rejected(msgId, orderId, rejection), rejection);
        }
        if (Order.PICKED.equals(order.state()) || Order.CANCELLED.equals(order.state())) {
            Rejection rejection =
                    new Rejection(RejectReason.ORDER_CLOSED, "order " + orderId + " is already " + order.state());
            throw new Refusal(PickJson.rejected(msgId, orderId, rejection), rejection);
        }
        if (Order.PICKING.equals(order.state()) && !pdaId.equals(order.pdaId())) {
            Rejection rejection = new Rejection(
                    RejectReason.ORDER_NOT_YOURS, "order " + orderId + " is being picked by " + order.pdaId());
            throw new Refusal(PickJson.rejected(msgId, orderId, rejection), rejection);
        }
        return order;
    }

    /**
     * The line a barcode picks: a GTIN the order names for a line, else the catalog's SKU of the GTIN. With
     * two lines of one SKU, the first that still needs items.
     */
    private Line lineFor(Tx tx, Order order, List<Line> lines, Barcode barcode) throws SQLException {
        Integer lineNo = book.lineOfOrderGtin(tx, order.orderId(), barcode);
        if (lineNo != null) {
            return lines.stream().filter(l -> l.lineNo() == lineNo).findFirst().orElse(null);
        }
        String sku = book.catalogSku(tx, barcode);
        if (sku == null) {
            return null;
        }
        List<Line> ofSku = lines.stream().filter(l -> l.sku().equals(sku)).toList();
        return ofSku.stream().filter(l -> !l.done(tolerance)).findFirst().orElse(ofSku.isEmpty() ? null : ofSku.get(0));
    }

    private Line lineOfSku(String msgId, Order order, List<Line> lines, String sku) throws Refusal {
        Line line = lines.stream()
                .filter(l -> l.sku().equals(sku) && !l.done(tolerance))
                .findFirst()
                .orElse(lines.stream()
                        .filter(l -> l.sku().equals(sku))
                        .findFirst()
                        .orElse(null));
        if (line == null) {
            throw refuse(
                    msgId, order, lines, RejectReason.WRONG_ITEM, "order " + order.orderId() + " has no line " + sku);
        }
        if (line.done(tolerance)) {
            throw refuse(
                    msgId,
                    order,
                    lines,
                    RejectReason.LINE_DONE,
                    "line " + line.lineNo() + " (" + sku + ") is "
                            + (line.shortReason() != null ? "short: " + line.shortReason() : "already picked"));
        }
        return line;
    }

    /** Items for a counted line; grams for a weighed line, which needs a barcode that carries a weight. */
    private long amountOf(String msgId, Order order, List<Line> lines, Line line, Barcode barcode, int qty)
            throws Refusal {
        if (line.shortReason() != null) {
            throw refuse(
                    msgId,
                    order,
                    lines,
                    RejectReason.LINE_DONE,
                    "line " + line.lineNo() + " (" + line.sku() + ") is short: " + line.shortReason());
        }
        if (!line.weighed()) {
            return qty;
        }
        if (barcode.weightGrams() == null) {
            throw refuse(
                    msgId,
                    order,
                    lines,
                    RejectReason.WRONG_ITEM,
                    "line " + line.lineNo() + " (" + line.sku()
                            + ") is weighed; scan a barcode that carries the weight");
        }
        return (long) barcode.weightGrams() * qty;
    }

    private Refusal refuse(String msgId, Order order, List<Line> lines, RejectReason reason, String detail) {
        Rejection rejection = new Rejection(reason, detail);
        ObjectNode reply = PickJson.rejected(msgId, order.orderId(), rejection);
        PickJson.left(reply, lines, tolerance);
        return new Refusal(reply, rejection);
    }

    private static Map<String, Object> traced(DeviceMessage message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msgId", message.msgId());
        return data;
    }

    /** A refusal with its reply; thrown before anything is written, so nothing needs undoing. */
    private static final class Refusal extends Exception {
        private final transient ObjectNode reply;
        private final transient Rejection rejection;

        Refusal(ObjectNode reply, Rejection rejection) {
            super(rejection.detail(), null, false, false);
            this.reply = reply;
            this.rejection = rejection;
        }
    }
}
