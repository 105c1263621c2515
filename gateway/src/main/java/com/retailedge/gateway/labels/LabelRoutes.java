package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/labels?state=&flag=&after=&limit=}: bound labels in label id order, paged by the last id
 * ({@code next}); {@code PUT /api/v1/prices/{sku}} (admin): a local price change; {@code POST
 * /api/v1/labels/retry?labelId=} (admin): failed labels pending and pushed again.
 */
final class LabelRoutes implements ApiRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATES = Set.of(LabelBook.PENDING, LabelBook.CURRENT, LabelBook.FAILED);
    private static final Set<String> FLAGS = Set.of("low-battery", "not-seen", "mismatch");
    private static final int MAX_LIMIT = 1000;

    private final LabelQueries queries;
    private final LocalPrices prices;
    private final SqliteWriter writer;
    private final LabelBook book;

    LabelRoutes(LabelQueries queries, LocalPrices prices, SqliteWriter writer, LabelBook book) {
        this.queries = queries;
        this.prices = prices;
        this.writer = writer;
        this.book = book;
    }

    @Override
    public void mount(Router router, ApiSupport support) {
        router.get("/api/v1/labels").handler(ctx -> list(ctx, support));
        router.put("/api/v1/prices/:sku")
                .handler(BodyHandler.create().setBodyLimit(64 * 1024))
                .handler(ctx -> changePrice(ctx, support));
        router.post("/api/v1/labels/retry").handler(ctx -> retry(ctx, support));
    }

    private void retry(RoutingContext ctx, ApiSupport support) {
        if (!support.requireAdmin(ctx)) {
            return;
        }
        String labelId = ctx.request().getParam("labelId");
        support.blockingJson(
                ctx,
                () -> Map.of(
                        "retried",
                        writer.submit(tx -> book.retryFailed(tx, labelId, System.currentTimeMillis()))
                                .get(30, TimeUnit.SECONDS)));
    }

    private void list(RoutingContext ctx, ApiSupport support) {
        String state = ctx.request().getParam("state");
        String flag = ctx.request().getParam("flag");
        String after = ctx.request().getParam("after", "");
        String limitText = ctx.request().getParam("limit", "100");
        if (state != null && !STATES.contains(state)) {
            ApiSupport.error(ctx, 400, "bad-parameter", "state must be one of pending, current, failed");
            return;
        }
        if (flag != null && !FLAGS.contains(flag)) {
            ApiSupport.error(ctx, 400, "bad-parameter", "flag must be one of low-battery, not-seen, mismatch");
            return;
        }
        int limit;
        try {
            limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            ApiSupport.error(ctx, 400, "bad-parameter", "limit must be 1.." + MAX_LIMIT);
            return;
        }
        int pageSize = limit;
        ReadPool.Query<Object> query = c -> {
            List<Map<String, Object>> rows = queries.list(c, state, flag, after, pageSize);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("labels", rows);
            body.put("next", rows.isEmpty() ? after : rows.get(rows.size() - 1).get("labelId"));
            return body;
        };
        support.readJson(ctx, query);
    }

    private void changePrice(RoutingContext ctx, ApiSupport support) {
        if (!support.requireAdmin(ctx)) {
            return;
        }
        String sku = ctx.pathParam("sku");
        JsonNode body;
        try {
            body = ctx.body() == null || ctx.body().buffer() == null
                    ? null
                    : JSON.readTree(ctx.body().asString());
        } catch (IOException e) {
            ApiSupport.error(ctx, 400, "bad-body", "the body is not JSON");
            return;
        }
        JsonNode parsed = body;
        support.blockingJson(ctx, () -> prices.change(sku, parsed));
    }
}
