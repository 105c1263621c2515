package com.retailedge.gateway.picking;

import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.ApiException;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Admin cancellation of orders nobody will pick, so a demo store (or a store after a cloud mistake) is reset
 * without deleting data: {@code POST /api/v1/orders/{orderId}/cancel} for one, {@code POST
 * /api/v1/orders/cancel?state=waiting|open} for every waiting (or also every picking) order. A cancelled
 * order keeps its rows and what was picked, is never assigned or picked again, and goes up as
 * {@code retail.order.cancelled}; the PDA that had it hears its new pick list and may take the next order.
 */
final class OrderCancel implements ApiRoutes {
    /** Orders cancelled by one bulk call at most; the answer says when more are left. */
    private static final int BULK_LIMIT = 10_000;

    private final SqliteWriter writer;
    private final OrderBook book;
    private final Assigner assigner;
    private final PickLights lights;
    private final Outbox outbox;

    OrderCancel(SqliteWriter writer, OrderBook book, Assigner assigner, PickLights lights, Outbox outbox) {
        this.writer = writer;
        this.book = book;
        this.assigner = assigner;
        this.lights = lights;
        this.outbox = outbox;
    }

    @Override
    public void mount(Router router, ApiSupport support) {
        router.post("/api/v1/orders/cancel").handler(ctx -> {
            if (support.requireAdmin(ctx)) {
                support.blockingJson(ctx, () -> cancelAll(ctx));
            }
        });
        router.post("/api/v1/orders/:orderId/cancel").handler(ctx -> {
            if (support.requireAdmin(ctx)) {
                String orderId = ctx.pathParam("orderId");
                support.blockingJson(ctx, () -> write(tx -> cancelOne(tx, orderId)));
            }
        });
    }

    private Map<String, Object> cancelOne(Tx tx, String orderId) throws SQLException, ApiException {
        Order order = book.order(tx, orderId);
        if (order == null) {
            throw new ApiException(404, "not-found", "no order '" + orderId + "' in this store");
        }
        if (Order.PICKED.equals(order.state()) || Order.CANCELLED.equals(order.state())) {
            throw new ApiException(409, "conflict", "order " + orderId + " is already " + order.state());
        }
        Set<String> pdas = new LinkedHashSet<>();
        cancel(tx, order, pdas);
        for (String pda : pdas) {
            assigner.orderFinished(tx, pda);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", orderId);
        body.put("state", Order.CANCELLED);
        body.put("was", order.state());
        return body;
    }

    private Object cancelAll(RoutingContext ctx) throws Exception {
        String state = ctx.request().getParam("state");
        String where;
        if ("waiting".equals(state)) {
            where = "state = 'waiting'";
        } else if ("open".equals(state)) {
            where = "state IN ('waiting', 'picking')";
        } else {
            throw new ApiException(
                    400,
                    "bad-parameter",
                    "state must be waiting (orders nobody picks yet) or open " + "(also those being picked)");
        }
        return write(tx -> {
            List<Order> orders = new ArrayList<>();
            PreparedStatement ps = tx.prepare("SELECT order_id, state, due_ms, pda_id, assigned_ms, lines_open, late "
                    + "FROM pick_order WHERE " + where + " ORDER BY due_ms, order_id LIMIT " + (BULK_LIMIT + 1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    orders.add(OrderBook.order(rs));
                }
            }
            boolean more = orders.size() > BULK_LIMIT;
            Set<String> pdas = new LinkedHashSet<>();
            for (Order order : orders.subList(0, Math.min(BULK_LIMIT, orders.size()))) {
                cancel(tx, order, pdas);
            }
            // Each PDA that lost orders hears its list once, after all of them are gone.
            for (String pda : pdas) {
                assigner.orderFinished(tx, pda);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cancelled", Math.min(BULK_LIMIT, orders.size()));
            body.put("more", more);
            return body;
        });
    }

    /** Marks one open order cancelled; collects the PDA that had it. */
    private void cancel(Tx tx, Order order, Set<String> pdas) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE pick_order SET state = 'cancelled' WHERE order_id = ?");
        ps.setString(1, order.orderId());
        ps.executeUpdate();
        if (Order.PICKING.equals(order.state()) && order.pdaId() != null) {
            for (Line line : book.lines(tx, order.orderId())) {
                lights.clear(tx, order.orderId(), line.sku());
            }
            pdas.add(order.pdaId());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", order.orderId());
        data.put("was", order.state());
        data.put("pdaId", order.pdaId());
        data.put("by", "admin");
        outbox.append(tx, EventTypes.ORDER_CANCELLED, order.orderId(), data);
    }

    /** Runs on the writer and waits for the commit; an {@link ApiException} thrown inside answers as itself. */
    private Map<String, Object> write(Work work) throws Exception {
        try {
            return writer.submit(work::apply).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A cancellation inside the writer's transaction. */
    @FunctionalInterface
    private interface Work {
        Map<String, Object> apply(Tx tx) throws SQLException, ApiException;
    }
}
