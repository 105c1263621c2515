package com.retailedge.gateway.picking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.gateway.spi.DevicePublisher;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands waiting orders to PDAs that are logged in and idle, earliest due first, up to
 * {@code picking.orders-per-picker} each, and sends a PDA its whole pick list on its task topic after
 * commit whenever that list changes (and again whenever it reports idle). Writer thread only.
 */
final class Assigner {
    private final String taskTopicPrefix;
    private final OrderBook book;
    private final PickLights lights;
    private final int ordersPerPicker;
    private final int tolerance;
    private final DevicePublisher publisher;

    Assigner(
            String storeId,
            OrderBook book,
            PickLights lights,
            int ordersPerPicker,
            int tolerance,
            DevicePublisher publisher) {
        this.taskTopicPrefix = "store/" + storeId + "/pda/";
        this.book = book;
        this.lights = lights;
        this.ordersPerPicker = ordersPerPicker;
        this.tolerance = tolerance;
        this.publisher = publisher;
    }

    /** New orders arrived: every idle PDA with room takes its share. */
    void assignIdle(Tx tx) throws SQLException {
        assignIdle(tx, null);
    }

    /** As above, leaving out {@code except} (a PDA staff just took an order from), or nobody when null. */
    private void assignIdle(Tx tx, String except) throws SQLException {
        PreparedStatement ps =
                tx.prepare("SELECT pda_id FROM pda_state WHERE state = 'idle' ORDER BY updated_ms, pda_id");
        List<String> idle = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                idle.add(rs.getString(1));
            }
        }
        idle.remove(except);
        for (String pdaId : idle) {
            if (fill(tx, pdaId) > 0) {
                sendTask(tx, pdaId);
            }
        }
    }

    /** A PDA reported idle: it gets orders if it has room, and its pick list again either way. */
    void pdaIdle(Tx tx, String pdaId) throws SQLException {
        fill(tx, pdaId);
        sendTask(tx, pdaId);
    }

    /** A PDA switched off: its unfinished orders go back to waiting for someone else, and their labels go dark. */
    void pdaOff(Tx tx, String pdaId) throws SQLException {
        for (Order order : picking(tx, pdaId)) {
            // Nobody walks to these shelves until the order is someone's again (assign lights them anew).
            for (Line line : book.lines(tx, order.orderId())) {
                lights.clear(tx, order.orderId(), line.sku());
            }
        }
        PreparedStatement ps = tx.prepare("UPDATE pick_order SET state = 'waiting', pda_id = NULL, assigned_ms = NULL "
                + "WHERE pda_id = ? AND state = 'picking'");
        ps.setString(1, pdaId);
        if (ps.executeUpdate() > 0) {
            assignIdle(tx);
        }
    }

    /**
     * Staff released an order being picked: it waits again, its labels go dark, its PDA hears its shorter list,
     * and the next idle PDA (not the one it was taken from) gets it.
     */
    void release(Tx tx, Order order) throws SQLException {
        darken(tx, order);
        PreparedStatement ps = tx.prepare("UPDATE pick_order SET state = 'waiting', pda_id = NULL, assigned_ms = NULL "
                + "WHERE order_id = ? AND state = 'picking'");
        ps.setString(1, order.orderId());
        ps.executeUpdate();
        sendTask(tx, order.pdaId());
        assignIdle(tx, order.pdaId());
    }

    /** Staff gave an open order to a PDA: it leaves its previous PDA's list (if any) and joins the new one's. */
    void reassign(Tx tx, Order order, String pdaId) throws SQLException {
        if (Order.PICKING.equals(order.state())) {
            darken(tx, order);
        }
        assign(tx, order.orderId(), pdaId, System.currentTimeMillis());
        if (order.pdaId() != null && !order.pdaId().equals(pdaId)) {
            sendTask(tx, order.pdaId());
        }
        sendTask(tx, pdaId);
    }

    private void darken(Tx tx, Order order) throws SQLException {
        for (Line line : book.lines(tx, order.orderId())) {
            lights.clear(tx, order.orderId(), line.sku());
        }
    }

    /** A PDA finished an order: it takes the next if it is idle, and hears its updated list. */
    void orderFinished(Tx tx, String pdaId) throws SQLException {
        if (isIdle(tx, pdaId)) {
            fill(tx, pdaId);
        }
        sendTask(tx, pdaId);
    }

    /** Assigns one order to a PDA (the contract's first accepted scan of a waiting order does this too). */
    void assign(Tx tx, String orderId, String pdaId, long now) throws SQLException {
        book.assign(tx, orderId, pdaId, now);
        Set<String> skus = new LinkedHashSet<>();
        for (Line line : book.lines(tx, orderId)) {
            if (!line.done(tolerance)) {
                skus.add(line.sku());
            }
        }
        lights.light(tx, orderId, skus);
    }

    private int fill(Tx tx, String pdaId) throws SQLException {
        int room = ordersPerPicker - picking(tx, pdaId).size();
        if (room <= 0) {
            return 0;
        }
        PreparedStatement ps =
                tx.prepare("SELECT order_id FROM pick_order WHERE state = 'waiting' ORDER BY due_ms, order_id LIMIT ?");
        ps.setInt(1, room);
        List<String> orders = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                orders.add(rs.getString(1));
            }
        }
        long now = System.currentTimeMillis();
        for (String orderId : orders) {
            assign(tx, orderId, pdaId, now);
        }
        return orders.size();
    }

    private List<Order> picking(Tx tx, String pdaId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT order_id, state, due_ms, pda_id, assigned_ms, lines_open, late "
                + "FROM pick_order WHERE pda_id = ? AND state = 'picking' ORDER BY due_ms, order_id");
        ps.setString(1, pdaId);
        List<Order> orders = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                orders.add(OrderBook.order(rs));
            }
        }
        return orders;
    }

    private static boolean isIdle(Tx tx, String pdaId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT state FROM pda_state WHERE pda_id = ?");
        ps.setString(1, pdaId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && "idle".equals(rs.getString(1));
        }
    }

    /** Publishes the PDA's current pick list after commit; built now, from what this transaction sees. */
    void sendTask(Tx tx, String pdaId) throws SQLException {
        ObjectNode task = PickJson.JSON.createObjectNode();
        task.put("pdaId", pdaId);
        ArrayNode orders = task.putArray("orders");
        for (Order order : picking(tx, pdaId)) {
            PickJson.taskOrder(orders, order, book.lines(tx, order.orderId()), tolerance);
        }
        String json = task.toString();
        String topic = taskTopicPrefix + pdaId + "/task";
        tx.handOff(() -> publisher.publish(topic, json));
    }
}
