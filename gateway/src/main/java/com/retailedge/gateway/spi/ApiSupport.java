package com.retailedge.gateway.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.store.ReadPool;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What route handlers share: off-loop reads, JSON answers, JSON errors and the role check. */
public final class ApiSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ApiSupport.class);
    /** The routing-context key under which the API's authentication puts the caller's role. */
    public static final String ROLE = "role";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final ReadPool reads;

    public ApiSupport(Vertx vertx, ReadPool reads) {
        this.vertx = vertx;
        this.reads = reads;
    }

    /** Runs a read query off the event loop and answers with its result as JSON. */
    public void readJson(RoutingContext ctx, ReadPool.Query<Object> query) {
        blockingJson(ctx, () -> reads.read(query));
    }

    /** Runs work off the event loop (it may wait on the writer) and answers with its result as JSON. */
    public void blockingJson(RoutingContext ctx, Callable<Object> work) {
        // Unordered: a slow answer must not hold up the ones queued behind it on this event loop.
        vertx.executeBlocking(() -> JSON.writeValueAsString(work.call()), false).onComplete(ar -> {
            if (ar.failed()) {
                Throwable cause = ar.cause();
                if (cause instanceof ApiException api) {
                    error(ctx, api.status(), api.code(), api.getMessage());
                    return;
                }
                LOG.warn("{} failed: {}", ctx.request().path(), cause.getMessage());
                error(ctx, 503, "unavailable", "the store could not answer; retry");
                return;
            }
            if (!ctx.response().ended()) {
                ctx.response().putHeader("Content-Type", "application/json").end(ar.result());
            }
        });
    }

    /** True when the caller holds the admin token; otherwise answers 403 and returns false. */
    public boolean requireAdmin(RoutingContext ctx) {
        return requireAdminRole(ctx);
    }

    /** As {@link #requireAdmin}, for handlers that hold no {@code ApiSupport}. */
    public static boolean requireAdminRole(RoutingContext ctx) {
        if ("admin".equals(ctx.get(ROLE))) {
            return true;
        }
        error(ctx, 403, "forbidden", "this needs the admin token");
        return false;
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    public static void error(RoutingContext ctx, int status, String code, String message) {
        json(ctx, status, Map.of("error", code, "message", message));
    }

    /** The API's error body, {@code {"error": code, "message": message}}, for answers given outside a route. */
    public static String errorBody(String code, String message) {
        try {
            return JSON.writeValueAsString(Map.of("error", code, "message", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
