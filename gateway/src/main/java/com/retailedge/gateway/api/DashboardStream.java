package com.retailedge.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.spi.ApiSupport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /dashboard/stream}: server-sent events, one {@code snapshot} event a second with the dashboard's
 * JSON. One snapshot is computed per tick for all open pages, and none while no page is open. Event-loop
 * only: the snapshot is computed on a worker. At most {@code http.max-streams} streams are open at once.
 */
final class DashboardStream {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PERIOD_MS = 1000;

    private final Vertx vertx;
    private final Callable<Object> snapshot;
    private final int maxStreams;
    private final Set<HttpServerResponse> clients = new HashSet<>();
    private long timer = -1;
    private boolean computing;
    private String last;

    /** At most {@code maxStreams} pages at once: each holds a connection and a share of every tick's writes. */
    DashboardStream(Vertx vertx, Callable<Object> snapshot, int maxStreams) {
        this.vertx = vertx;
        this.snapshot = snapshot;
        this.maxStreams = maxStreams;
    }

    void open(RoutingContext ctx) {
        clients.removeIf(HttpServerResponse::closed);
        if (clients.size() >= maxStreams) {
            ctx.response().putHeader("Retry-After", "10");
            ApiSupport.error(
                    ctx,
                    503,
                    "busy",
                    maxStreams + " dashboard pages are open already (http.max-streams); " + "close one or retry later");
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        // the browser reconnects by itself after this long if the gateway restarts
        response.write("retry: 2000\n\n");
        if (last != null) {
            response.write(frame(last));
        }
        clients.add(response);
        response.closeHandler(v -> clients.remove(response));
        response.exceptionHandler(e -> clients.remove(response));
        if (timer < 0) {
            timer = vertx.setPeriodic(0, PERIOD_MS, id -> tick());
        }
    }

    /** The same JSON, once, for {@code GET /dashboard/snapshot}. */
    void once(RoutingContext ctx) {
        vertx.executeBlocking(() -> JSON.writeValueAsString(snapshot.call()), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ApiSupport.error(ctx, 503, "unavailable", "the store could not answer; retry");
                        return;
                    }
                    ctx.response()
                            .putHeader("Content-Type", "application/json")
                            .putHeader("Cache-Control", "no-cache")
                            .end(ar.result());
                });
    }

    private void tick() {
        if (clients.isEmpty()) {
            vertx.cancelTimer(timer);
            timer = -1;
            return;
        }
        if (computing) {
            return;
        }
        computing = true;
        vertx.executeBlocking(() -> JSON.writeValueAsString(snapshot.call()), false)
                .onComplete(ar -> {
                    computing = false;
                    if (ar.failed()) {
                        LOG.debug("dashboard snapshot failed: {}", ar.cause().getMessage());
                        return;
                    }
                    last = ar.result();
                    String frame = frame(last);
                    for (HttpServerResponse client : Set.copyOf(clients)) {
                        if (client.closed()) {
                            clients.remove(client);
                        } else if (!client.writeQueueFull()) {
                            // a page that cannot keep up skips snapshots rather than buffering them
                            client.write(frame);
                        }
                    }
                });
    }

    private static String frame(String json) {
        return "event: snapshot\ndata: " + json + "\n\n";
    }
}
