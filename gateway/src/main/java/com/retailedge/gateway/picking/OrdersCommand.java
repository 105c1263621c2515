package com.retailedge.gateway.picking;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.Gtin;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cloud's {@code orders} command (CONTRACT §4): stores online orders and hands them to idle pickers.
 * Lines are {@code {"sku","qty"}} or, for a weighed item, {@code {"sku","weightG"}}; optional per line:
 * {@code gtins}, {@code substitutionAllowed}, {@code location}, {@code name}. An order id seen before replaces
 * that order while it is still waiting and is refused once picking started.
 */
final class OrdersCommand implements CommandHandler {
    private static final int MAX_TEXT = 256;
    private final Assigner assigner;

    OrdersCommand(Assigner assigner) {
        this.assigner = assigner;
    }

    private record NewLine(
            String sku,
            Integer qty,
            Integer weightG,
            List<String> gtins,
            boolean substitutable,
            String location,
            String name) {}

    private record NewOrder(String orderId, long dueMs, List<NewLine> lines) {}

    @Override
    public String apply(Tx tx, JsonNode command) throws Rejection, SQLException {
        JsonNode list = command.get("orders");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw bad("'orders' must be a non-empty list");
        }
        List<NewOrder> orders = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            orders.add(read(list.get(i), "orders[" + i + "]"));
        }
        OrderBook book = new OrderBook();
        for (NewOrder o : orders) {
            Order existing = book.order(tx, o.orderId());
            if (existing != null && !Order.WAITING.equals(existing.state())) {
                throw bad("order " + o.orderId() + " is already " + existing.state() + " and cannot be replaced");
            }
        }
        long now = System.currentTimeMillis();
        for (NewOrder o : orders) {
            store(tx, o, now);
        }
        assigner.assignIdle(tx);
        return orders.size() + " orders";
    }

    private static void store(Tx tx, NewOrder o, long now) throws SQLException {
        for (String table : List.of("order_line", "order_line_gtin")) {
            PreparedStatement delete = tx.prepare("DELETE FROM " + table + " WHERE order_id = ?");
            delete.setString(1, o.orderId());
            delete.executeUpdate();
        }
        PreparedStatement order =
                tx.prepare("INSERT INTO pick_order (order_id, state, due_ms, received_ms, lines_open) "
                        + "VALUES (?, 'waiting', ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET due_ms = excluded.due_ms, "
                        + "received_ms = excluded.received_ms, lines_open = excluded.lines_open, late = 0");
        order.setString(1, o.orderId());
        order.setLong(2, o.dueMs());
        order.setLong(3, now);
        order.setInt(4, o.lines().size());
        order.executeUpdate();
        PreparedStatement line =
                tx.prepare("INSERT INTO order_line (order_id, line_no, sku, qty, weight_g, substitutable, "
                        + "location, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement gtin = tx.prepare(
                "INSERT INTO order_line_gtin (order_id, gtin, line_no) VALUES (?, ?, ?) " + "ON CONFLICT DO NOTHING");
        for (int i = 0; i < o.lines().size(); i++) {
            NewLine l = o.lines().get(i);
            line.setString(1, o.orderId());
            line.setInt(2, i + 1);
            line.setString(3, l.sku());
            line.setObject(4, l.qty());
            line.setObject(5, l.weightG());
            line.setInt(6, l.substitutable() ? 1 : 0);
            line.setString(7, l.location());
            line.setString(8, l.name());
            line.executeUpdate();
            for (String g : l.gtins()) {
                gtin.setString(1, o.orderId());
                gtin.setString(2, "0".repeat(14 - g.length()) + g);
                gtin.setInt(3, i + 1);
                gtin.executeUpdate();
            }
        }
    }

    private static NewOrder read(JsonNode entry, String where) throws Rejection {
        if (!entry.isObject()) {
            throw bad(where + " must be an object");
        }
        String orderId = text(entry, "orderId", where);
        long due;
        try {
            due = Instant.parse(text(entry, "due", where)).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw bad(where + ": 'due' must be an ISO-8601 UTC time like 2026-11-23T10:30:00Z");
        }
        JsonNode lines = entry.get("lines");
        if (lines == null || !lines.isArray() || lines.isEmpty()) {
            throw bad(where + ": 'lines' must be a non-empty list");
        }
        List<NewLine> read = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            read.add(line(lines.get(i), where + ".lines[" + i + "]"));
        }
        return new NewOrder(orderId, due, read);
    }

    private static NewLine line(JsonNode l, String where) throws Rejection {
        if (!l.isObject()) {
            throw bad(where + " must be an object");
        }
        String sku = text(l, "sku", where);
        Integer qty = positive(l, "qty", where);
        Integer weight = positive(l, "weightG", where);
        if ((qty == null) == (weight == null)) {
            throw bad(where + ": give exactly one of 'qty' (items) or 'weightG' (grams)");
        }
        List<String> gtins = new ArrayList<>();
        JsonNode list = l.get("gtins");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw bad(where + ": 'gtins' must be a list");
            }
            for (JsonNode g : list) {
                if (!g.isTextual() || !Gtin.isValid(g.textValue())) {
                    throw bad(where + ": gtin " + g + " is not a GTIN with a valid check digit");
                }
                gtins.add(g.textValue());
            }
        }
        JsonNode substitution = l.get("substitutionAllowed");
        if (substitution != null && !substitution.isNull() && !substitution.isBoolean()) {
            throw bad(where + ": 'substitutionAllowed' must be true or false");
        }
        return new NewLine(
                sku,
                qty,
                weight,
                gtins,
                substitution != null && substitution.asBoolean(),
                optionalText(l, "location", where),
                optionalText(l, "name", where));
    }

    private static Integer positive(JsonNode node, String name, String where) throws Rejection {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || value.longValue() < 1 || value.longValue() > 1_000_000) {
            throw bad(where + ": '" + name + "' must be a whole number 1..1000000");
        }
        return value.intValue();
    }

    private static String text(JsonNode node, String name, String where) throws Rejection {
        JsonNode value = node.get(name);
        if (value == null
                || !value.isTextual()
                || value.textValue().isBlank()
                || value.textValue().length() > MAX_TEXT) {
            throw bad(where + ": '" + name + "' must be a non-empty string of at most " + MAX_TEXT + " characters");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String name, String where) throws Rejection {
        return node.hasNonNull(name) ? text(node, name, where) : null;
    }

    private static Rejection bad(String detail) {
        return new Rejection(RejectReason.BAD_COMMAND, detail);
    }
}
