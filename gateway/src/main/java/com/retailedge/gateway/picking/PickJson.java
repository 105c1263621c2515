package com.retailedge.gateway.picking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.gateway.domain.Rejection;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The JSON that PDAs get from picking: scan replies with what is left, and pick lists. */
final class PickJson {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Walking order: lines with a location first, by location, then the rest in order. */
    private static final Comparator<Line> WALK = Comparator.comparing(
                    Line::location, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingInt(Line::lineNo);

    private PickJson() {}

    static ObjectNode accepted(String msgId, String orderId) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("msgId", msgId);
        reply.put("result", "accepted");
        reply.put("orderId", orderId);
        return reply;
    }

    static ObjectNode rejected(String msgId, String orderId, Rejection rejection) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("msgId", msgId);
        reply.put("result", "rejected");
        reply.put("reason", rejection.reason().code());
        reply.put("detail", rejection.detail());
        reply.put("orderId", orderId);
        reply.putNull("left");
        return reply;
    }

    /** {@code left}: the lines still to pick, in walking order; {@code orderDone} once nothing is. */
    static void left(ObjectNode reply, List<Line> lines, int tolerance) {
        ArrayNode left = reply.putArray("left");
        lines.stream().filter(l -> !l.done(tolerance)).sorted(WALK).forEach(l -> {
            ObjectNode n = left.addObject();
            n.put("lineNo", l.lineNo());
            n.put("sku", l.sku());
            n.put(l.weighed() ? "weightG" : "qty", l.left());
            if (l.location() != null) {
                n.put("location", l.location());
            }
        });
        reply.put("orderDone", left.isEmpty());
    }

    /** One order of a pick list, its lines in walking order. */
    static void taskOrder(ArrayNode orders, Order order, List<Line> lines, int tolerance) {
        ObjectNode o = orders.addObject();
        o.put("orderId", order.orderId());
        o.put("due", Instant.ofEpochMilli(order.dueMs()).toString());
        o.put("late", order.late());
        ArrayNode list = o.putArray("lines");
        lines.stream().sorted(WALK).forEach(l -> {
            ObjectNode n = list.addObject();
            n.put("lineNo", l.lineNo());
            n.put("sku", l.sku());
            if (l.name() != null) {
                n.put("name", l.name());
            }
            if (l.location() != null) {
                n.put("location", l.location());
            }
            n.put(l.weighed() ? "weightG" : "qty", l.target());
            n.put("picked", l.picked());
            n.put("left", l.left());
            n.put("done", l.done(tolerance));
            n.put("substitutionAllowed", l.substitutable());
            if (l.shortReason() != null) {
                n.put("short", l.shortReason());
            }
        });
    }
}
