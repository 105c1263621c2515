package com.retailedge.gateway.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what one HTTP client can hold: at most {@code http.max-connections} open connections (more are
 * closed as they arrive), and a connection must complete its request headers within
 * {@code http.header-timeout} of opening, or of its last answer plus {@code http.idle-timeout} on a
 * keep-alive connection. Vert.x's idle timeout alone does not end a client that drips one byte at a time
 * (slowloris), and file descriptors are shared with SQLite, MQTT and CoAP.
 *
 * <p>Event-loop only, except the counts, which metrics read.
 */
final class ConnectionGuard {
    private final Vertx vertx;
    private final long headerTimeoutMs;
    private final long keepAliveGraceMs;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    /** The header timer of each connection waiting for a request's headers. */
    private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();

    private final Counter refused;
    private final Counter timedOut;

    ConnectionGuard(
            Vertx vertx, Duration headerTimeout, Duration idleTimeout, int maxConnections, MeterRegistry metrics) {
        this.vertx = vertx;
        this.headerTimeoutMs = headerTimeout.toMillis();
        this.keepAliveGraceMs = idleTimeout.toMillis() + headerTimeout.toMillis();
        this.maxConnections = maxConnections;
        metrics.gauge("gateway_http_connections", open);
        this.refused = Counter.builder("gateway_http_connections_refused")
                .description("HTTP connections closed on arrival because http.max-connections were open")
                .register(metrics);
        this.timedOut = Counter.builder("gateway_http_header_timeouts")
                .description(
                        "HTTP connections closed because their request headers took longer than http.header-timeout")
                .register(metrics);
    }

    /** A connection was accepted: counted, refused when over the cap, else given its header deadline. */
    void opened(HttpConnection connection) {
        int now = open.incrementAndGet();
        connection.closeHandler(v -> {
            open.decrementAndGet();
            cancel(connection);
        });
        if (now > maxConnections) {
            refused.increment();
            connection.close();
            return;
        }
        await(connection, headerTimeoutMs);
    }

    /** A request's headers arrived: its connection's deadline is off until the answer is sent. */
    void requestArrived(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        cancel(connection);
        request.response().endHandler(v -> {
            // Keep-alive: the next request may start after an idle spell, but its headers must not drip forever.
            if (!waiting.containsKey(connection)) {
                await(connection, keepAliveGraceMs);
            }
        });
    }

    int open() {
        return open.get();
    }

    private void await(HttpConnection connection, long ms) {
        long timer = vertx.setTimer(ms, id -> {
            if (waiting.remove(connection, id)) {
                timedOut.increment();
                connection.close();
            }
        });
        Long previous = waiting.put(connection, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    private void cancel(HttpConnection connection) {
        Long timer = waiting.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
