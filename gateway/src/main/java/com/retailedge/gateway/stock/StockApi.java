package com.retailedge.gateway.stock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.ApiException;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import com.retailedge.gateway.store.SqliteWriter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/stock?sku=} (one SKU, or all) and, with the admin token, {@code POST /api/v1/stock}
 * with receiving, sales, counts and thresholds in the {@code stock} command's shape.
 */
public final class StockApi implements ApiRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1024 * 1024;

    private final SqliteWriter writer;
    private final StockLedger ledger;
    private final int defaultThreshold;

    public StockApi(SqliteWriter writer, StockLedger ledger, int defaultThreshold) {
        this.writer = writer;
        this.ledger = ledger;
        this.defaultThreshold = defaultThreshold;
    }

    @Override
    public void mount(Router router, ApiSupport support) {
        router.get("/api/v1/stock").handler(ctx -> {
            String sku = ctx.request().getParam("sku");
            support.readJson(ctx, c -> read(c, sku));
        });
        router.post("/api/v1/stock").handler(BodyHandler.create().setBodyLimit(MAX_BODY));
        router.post("/api/v1/stock").handler(ctx -> {
            if (support.requireAdmin(ctx)) {
                support.blockingJson(ctx, () -> book(ctx));
            }
        });
    }

    private Object book(RoutingContext ctx) throws Exception {
        StockMovements movements;
        try {
            JsonNode body = JSON.readTree(ctx.body().asString());
            if (body == null || !body.isObject()) {
                throw new ApiException(400, "bad-request", "the body must be a JSON object");
            }
            movements = StockMovements.parse(body, RejectReason.BAD_FIELD);
        } catch (IOException e) {
            throw new ApiException(400, "bad-request", "the body is not JSON");
        } catch (Rejection r) {
            throw new ApiException(400, "bad-request", r.detail());
        }
        try {
            String summary =
                    writer.submit(tx -> movements.apply(tx, ledger, "admin")).get(30, TimeUnit.SECONDS);
            return Map.of("applied", summary);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private Object read(Connection c, String sku) throws SQLException {
        String sql = "SELECT sku, on_hand, threshold, low, updated_ms FROM stock_level"
                + (sku == null ? " ORDER BY sku" : " WHERE sku = ?");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sku != null) {
                ps.setString(1, sku);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("sku", rs.getString(1));
                    row.put("onHand", rs.getLong(2));
                    int threshold = rs.getInt(3);
                    row.put("threshold", rs.wasNull() ? defaultThreshold : threshold);
                    row.put("low", rs.getInt(4) == 1);
                    row.put("updated", Instant.ofEpochMilli(rs.getLong(5)).toString());
                    rows.add(row);
                }
            }
        }
        if (sku != null && rows.isEmpty()) {
            // Never booked: no ledger rows, so nothing is known about it.
            Map<String, Object> none = new LinkedHashMap<>();
            none.put("sku", sku);
            none.put("onHand", 0);
            none.put("threshold", defaultThreshold);
            none.put("low", true);
            none.put("updated", null);
            rows.add(none);
        }
        return Map.of("stock", rows);
    }
}
