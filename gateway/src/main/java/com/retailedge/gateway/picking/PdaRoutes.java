package com.retailedge.gateway.picking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.spi.ApiException;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Staff's view of and hand on the PDAs (admin token): {@code GET /api/v1/pdas} lists the PDAs the gateway knows
 * with their state, why they are off, when they were last heard from and the orders they hold; {@code POST
 * /api/v1/orders/{orderId}/release} puts an order being picked back to waiting (the next idle PDA gets it);
 * {@code POST /api/v1/orders/{orderId}/assign} with {@code {"pdaId"}} gives an open order to a PDA.
 */
final class PdaRoutes implements ApiRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WRITE_WAIT_S = 30;

    private final SqliteWriter writer;
    private final OrderBook book;
    private final Assigner assigner;
    private final PdaPresence presence;

    PdaRoutes(SqliteWriter writer, OrderBook book, Assigner assigner, PdaPresence presence) {
        this.writer = writer;
        this.book = book;
        this.assigner = assigner;
        this.presence = presence;
    }

    /** What a staff action on an order came to; {@code error} is null when it was done. */
    private record Result(Order order, int status, String error, String message) {
        static Result done(Order order) {
            return new Result(order, 200, null, null);
        }

        static Result refused(int status, String error, String message) {
            return new Result(null, status, error, message);
        }
    }

    @Override
    public void mount(Router router, ApiSupport support) {
        router.get("/api/v1/pdas").handler(ctx -> {
            if (support.requireAdmin(ctx)) {
                support.readJson(ctx, c -> Map.of("pdas", list(c)));
            }
        });
        router.post("/api/v1/orders/:orderId/release").handler(ctx -> {
            if (support.requireAdmin(ctx)) {
                String orderId = ctx.pathParam("orderId");
                answer(ctx, support, tx -> release(tx, orderId));
            }
        });
        router.post("/api/v1/orders/:orderId/assign")
                .handler(BodyHandler.create().setBodyLimit(4096))
                .handler(ctx -> {
                    if (!support.requireAdmin(ctx)) {
                        return;
                    }
                    String orderId = ctx.pathParam("orderId");
                    String pdaId;
                    try {
                        JsonNode body = ctx.body() == null || ctx.body().buffer() == null
                                ? null
                                : JSON.readTree(ctx.body().asString());
                        pdaId = body != null && body.path("pdaId").isTextual()
                                ? body.get("pdaId").textValue()
                                : null;
                    } catch (IOException e) {
                        pdaId = null;
                    }
                    if (pdaId == null) {
                        ApiSupport.error(ctx, 400, "bad-body", "the body must be a JSON object with a 'pdaId' string");
                        return;
                    }
                    String to = pdaId;
                    answer(ctx, support, tx -> reassign(tx, orderId, to));
                });
    }

    private interface Action {
        Result run(Tx tx) throws SQLException;
    }

    private void answer(RoutingContext ctx, ApiSupport support, Action action) {
        support.blockingJson(ctx, () -> {
            Result result = writer.submit(action::run).get(WRITE_WAIT_S, TimeUnit.SECONDS);
            if (result.error() != null) {
                throw new ApiException(result.status(), result.error(), result.message());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("orderId", result.order().orderId());
            body.put("state", result.order().state());
            body.put("pdaId", result.order().pdaId());
            return body;
        });
    }

    /** Writer thread. */
    private Result release(Tx tx, String orderId) throws SQLException {
        Order order = book.order(tx, orderId);
        if (order == null) {
            return Result.refused(404, "not-found", "no order " + orderId);
        }
        if (!Order.PICKING.equals(order.state())) {
            return Result.refused(
                    409, "not-picking", "order " + orderId + " is " + order.state() + ", not being picked");
        }
        assigner.release(tx, order);
        return Result.done(book.order(tx, orderId));
    }

    /** Writer thread. */
    private Result reassign(Tx tx, String orderId, String pdaId) throws SQLException {
        Order order = book.order(tx, orderId);
        if (order == null) {
            return Result.refused(404, "not-found", "no order " + orderId);
        }
        if (Order.PICKED.equals(order.state())) {
            return Result.refused(409, "picked", "order " + orderId + " is already picked");
        }
        if (!isRegisteredPda(tx, pdaId)) {
            return Result.refused(400, "unknown-pda", "'" + pdaId + "' is not a registered PDA");
        }
        if ("off".equals(stateOf(tx, pdaId))) {
            return Result.refused(409, "pda-off", "PDA " + pdaId + " is off; it takes no orders");
        }
        assigner.reassign(tx, order, pdaId);
        return Result.done(book.order(tx, orderId));
    }

    private static boolean isRegisteredPda(Tx tx, String pdaId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT 1 FROM device WHERE device_id = ? AND kind = 'pda'");
        ps.setString(1, pdaId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static String stateOf(Tx tx, String pdaId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT state FROM pda_state WHERE pda_id = ?");
        ps.setString(1, pdaId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** PDAs that reported a state or hold orders, by id. */
    private List<Map<String, Object>> list(java.sql.Connection c) throws SQLException {
        Map<String, Map<String, Object>> pdas = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pda_id, state, updated_ms, gone_reason FROM pda_state");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> p = entry(pdas, rs.getString(1));
                p.put("state", rs.getString(2));
                p.put("since", Instant.ofEpochMilli(rs.getLong(3)).toString());
                p.put("reason", rs.getString(4));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pda_id, order_id FROM pick_order "
                        + "WHERE state = 'picking' AND pda_id IS NOT NULL ORDER BY due_ms, order_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                @SuppressWarnings("unchecked")
                List<String> orders =
                        (List<String>) entry(pdas, rs.getString(1)).get("orders");
                orders.add(rs.getString(2));
            }
        }
        return new ArrayList<>(pdas.values());
    }

    private Map<String, Object> entry(Map<String, Map<String, Object>> pdas, String pdaId) {
        return pdas.computeIfAbsent(pdaId, id -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("pdaId", id);
            p.put("state", null);
            p.put("since", null);
            p.put("reason", null);
            p.put("connected", presence.connected(id).orElse(null));
            p.put(
                    "lastHeard",
                    presence.lastHeardMs(id)
                            .map(ms -> Instant.ofEpochMilli(ms).toString())
                            .orElse(null));
            p.put("orders", new ArrayList<String>());
            return p;
        });
    }
}
