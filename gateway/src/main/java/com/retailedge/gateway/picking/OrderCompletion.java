package com.retailedge.gateway.picking;

import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An order whose every line is picked or short is picked: {@code retail.order.picked} with its lines, shorts,
 * substitutions and pick time, and the picker moves on to its next order. Writer thread only.
 */
final class OrderCompletion {
    private final OrderBook book;
    private final Assigner assigner;
    private final Outbox outbox;

    OrderCompletion(OrderBook book, Assigner assigner, Outbox outbox) {
        this.book = book;
        this.assigner = assigner;
        this.outbox = outbox;
    }

    void complete(Tx tx, DeviceMessage cause, String orderId) throws SQLException {
        long now = System.currentTimeMillis();
        book.picked(tx, orderId, now);
        Order order = book.order(tx, orderId);
        List<Map<String, Object>> lines = new ArrayList<>();
        List<Map<String, Object>> shorts = new ArrayList<>();
        for (Line line : book.lines(tx, orderId)) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("lineNo", line.lineNo());
            l.put("sku", line.sku());
            l.put(line.weighed() ? "weightG" : "qty", line.target());
            l.put("picked", line.picked());
            lines.add(l);
            if (line.shortReason() != null) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("lineNo", line.lineNo());
                s.put("sku", line.sku());
                s.put("missing", line.left());
                s.put("reason", line.shortReason());
                shorts.add(s);
            }
        }
        List<Map<String, Object>> substitutions = new ArrayList<>();
        for (Object[] row : book.substitutions(tx, orderId)) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("lineNo", row[0]);
            s.put("substituteSku", row[1]);
            s.put("units", row[2]);
            s.put("amount", row[3]);
            substitutions.add(s);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msgId", cause.msgId());
        data.put("orderId", orderId);
        data.put("pdaId", cause.deviceId());
        data.put("lines", lines);
        data.put("shorts", shorts);
        data.put("substitutions", substitutions);
        long started = order.assignedMs() == null ? now : order.assignedMs();
        data.put("pickSeconds", (now - started) / 1000.0);
        data.put("late", order.late());
        outbox.append(tx, EventTypes.ORDER_PICKED, cause.deviceId(), data);
        assigner.orderFinished(tx, cause.deviceId());
    }
}
