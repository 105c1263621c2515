package com.retailedge.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.ops.GatewayStatus;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.DashboardPanel;
import com.retailedge.gateway.spi.SummarySection;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.ReadPool;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API, health, metrics and dashboard on Vert.x Web (CONTRACT §5). Handlers never touch SQLite on
 * the event loop: queries run through unordered {@code executeBlocking} on pooled read connections, and
 * health and metrics on their own two threads. Connections are bounded ({@link ConnectionGuard}), errors
 * always have the API's JSON shape ({@link HttpErrors}) and every answer carries {@link SecurityHeaders}.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LIMIT = 1000;
    /** Summary windows outside these cannot hold an event and overflow epoch arithmetic when far out. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final Vertx vertx;
    private final GatewayConfig config;
    private final ReadPool reads;
    private final GatewayStatus status;
    private final DeviceRegistry registry;
    private final PrometheusMeterRegistry metrics;
    private final List<ApiRoutes> capabilityRoutes;
    private final List<SummarySection> sections = new ArrayList<>();
    private final List<DashboardPanel> panels;
    private final List<String> routes = new ArrayList<>();
    private final SummaryUpkeep upkeep;
    private WorkerExecutor ops;
    private HttpServer server;

    /**
     * The API with every capability's routes, summary sections and dashboard panels; {@code upkeep} keeps the
     * event rollups and device presence the summary and the dashboard read. A section named like a built-in one
     * replaces it.
     */
    public HttpApi(
            Vertx vertx,
            GatewayConfig config,
            ReadPool reads,
            GatewayStatus status,
            DeviceRegistry registry,
            SummaryUpkeep upkeep,
            Capabilities capabilities,
            PrometheusMeterRegistry metrics) {
        this.vertx = vertx;
        this.config = config;
        this.reads = reads;
        this.status = status;
        this.registry = registry;
        this.metrics = metrics;
        this.upkeep = upkeep;
        this.capabilityRoutes = capabilities.routes();
        this.panels = capabilities.panels();
        sections.add(new DevicesSection(registry, upkeep.presence()));
        sections.addAll(capabilities.summaries());
    }

    /** Starts listening; returns the port bound. */
    public int start() throws Exception {
        // Health and metrics have their own threads: a monitor must get an answer while the API is busy.
        ops = vertx.createSharedWorkerExecutor("http-ops", 2);
        Router router = Router.router(vertx);
        router.route().handler(SecurityHeaders::handle);
        router.get("/health").handler(this::health);
        router.get("/metrics")
                .handler(ctx -> answer(
                        ctx, ops.executeBlocking(metrics::scrape, false), "text/plain; version=0.0.4; charset=utf-8"));
        List<DashboardPanel> all = new ArrayList<>(List.of(
                new StaffPanel(),
                new StockPanel(config.picking().replenishThreshold()),
                new AttentionPanel(registry, upkeep.presence(), config.labels().batteryLow())));
        all.addAll(panels);
        DashboardFeed feed =
                new DashboardFeed(reads, status, upkeep.rollups(), this::summaryBody, config.storeZone(), all);
        DashboardStream stream =
                new DashboardStream(vertx, feed::snapshot, config.http().maxStreams());
        router.get("/dashboard/stream").handler(stream::open);
        router.get("/dashboard/snapshot").handler(stream::once);
        // Who may do what is settled from the headers, before any route reads a body.
        router.route("/api/*")
                .handler(new BearerAuth(
                        config.api().token(),
                        config.api().adminToken(),
                        new AuthFailures(config.api().authFailures(), System::nanoTime)))
                .handler(WriteGuard::handle)
                .handler(new RateLimit(config.api().rateLimit(), config.api().rateBurst(), System::nanoTime));
        router.get("/api/v1/openapi.yaml").handler(this::openApi);
        router.get("/api/v1/events").handler(this::events);
        router.get("/api/v1/deadletters").handler(this::deadLetters);
        router.get("/api/v1/summary").handler(this::summary);
        ApiSupport support = new ApiSupport(vertx, reads);
        for (ApiRoutes capability : capabilityRoutes) {
            capability.mount(router, support);
        }
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.isExactPath() && route.methods() != null) {
                // Listed as the OpenAPI document writes paths: {name} for a path parameter, each route once.
                String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
                route.methods().stream()
                        .map(m -> m.name() + " " + path)
                        .filter(r -> !routes.contains(r))
                        .forEach(routes::add);
            }
        }
        router.route("/api/*").failureHandler(HttpErrors::failed);
        // GET and HEAD only, so another method on a served path is 405 and an unknown path 404 (HttpErrors).
        StaticHandler dashboard = StaticHandler.create("dashboard").setCachingEnabled(false);
        router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(dashboard);
        HttpErrors.install(router);
        GatewayConfig.Http http = config.http();
        ConnectionGuard guard =
                new ConnectionGuard(vertx, http.headerTimeout(), http.idleTimeout(), http.maxConnections(), metrics);
        // No h2c: it makes the server wait for a connection's first bytes before it is counted or timed.
        HttpServerOptions options = new HttpServerOptions()
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) http.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxInitialLineLength(HttpErrors.MAX_INITIAL_LINE)
                .setMaxHeaderSize(HttpErrors.MAX_HEADER_SIZE);
        server = vertx.createHttpServer(options)
                .connectionHandler(guard::opened)
                .invalidRequestHandler(HttpErrors::invalidRequest)
                .requestHandler(request -> {
                    guard.requestArrived(request);
                    if (!HttpErrors.refuseLongUri(request)) {
                        router.handle(request);
                    }
                })
                .listen(http.port(), http.bind())
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        LOG.info("HTTP API and dashboard on port {}", server.actualPort());
        return server.actualPort();
    }

    /** Every exact route as {@code "GET /api/v1/summary"}, for the test that holds the OpenAPI document to them. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    private void openApi(RoutingContext ctx) {
        vertx.executeBlocking(
                        () -> {
                            try (var in = HttpApi.class.getClassLoader().getResourceAsStream("api/openapi.yaml")) {
                                return io.vertx.core.buffer.Buffer.buffer(in.readAllBytes());
                            }
                        },
                        false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        error(ctx, 503, "unavailable", "the API document could not be read");
                        return;
                    }
                    ctx.response().putHeader("Content-Type", "application/yaml").end(ar.result());
                });
    }

    private void health(RoutingContext ctx) {
        ops.executeBlocking(status::health, false).onComplete(ar -> {
            if (ar.failed()) {
                error(ctx, 503, "unavailable", ar.cause().getMessage());
                return;
            }
            ctx.response().setStatusCode(status.isReady() ? 200 : 503);
            json(ctx, ar.result());
        });
    }

    /** The {@code after} cursor and {@code limit} of a paged list; null after answering 400. */
    private record Page(long after, int limit) {
        static Page of(RoutingContext ctx) {
            Long after = longParam(ctx, "after", 0);
            Long limit = after == null ? null : longParam(ctx, "limit", 100);
            if (limit == null) {
                return null;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                error(ctx, 400, "bad-parameter", "limit must be 1.." + MAX_LIMIT);
                return null;
            }
            return new Page(after, limit.intValue());
        }
    }

    private void events(RoutingContext ctx) {
        Page page = Page.of(ctx);
        if (page != null) {
            blocking(
                    ctx,
                    "application/json",
                    () -> reads.read(c -> ApiQueries.eventsAfter(c, page.after(), page.limit())));
        }
    }

    private void deadLetters(RoutingContext ctx) {
        Page page = Page.of(ctx);
        if (page == null) {
            return;
        }
        blocking(ctx, "application/json", () -> {
            List<Map<String, Object>> rows = reads.read(c -> ApiQueries.deadLetters(c, page.after(), page.limit()));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("deadletters", rows);
            body.put(
                    "next",
                    rows.isEmpty() ? page.after() : rows.get(rows.size() - 1).get("id"));
            return JSON.writeValueAsString(body);
        });
    }

    private void summary(RoutingContext ctx) {
        Instant to;
        Instant from;
        try {
            String toText = ctx.request().getParam("to");
            String fromText = ctx.request().getParam("from");
            to = toText == null ? Instant.now() : Instant.parse(toText);
            from = fromText == null ? to.minusSeconds(86_400) : Instant.parse(fromText);
        } catch (DateTimeParseException e) {
            error(ctx, 400, "bad-parameter", "from and to must be ISO-8601 UTC times like 2026-01-31T08:00:00Z");
            return;
        }
        if (!from.isBefore(to)) {
            error(ctx, 400, "bad-parameter", "from must be before to");
            return;
        }
        if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
            error(ctx, 400, "bad-parameter", "from and to must lie between " + EARLIEST + " and " + LATEST);
            return;
        }
        blocking(ctx, "application/json", () -> JSON.writeValueAsString(summaryBody(from, to)));
    }

    /**
     * The body of {@code GET /api/v1/summary} for [from, to), for the cloud's {@code summary} command and the
     * heartbeat; blocking: call it off the event loop and off the writer.
     */
    public Map<String, Object> summary(Instant from, Instant to) {
        return summaryBody(from, to);
    }

    /** The summary for [from, to), counted to the millisecond; blocking, on a worker. */
    private Map<String, Object> summaryBody(Instant from, Instant to) {
        long fromMs = from.toEpochMilli();
        long toMs = to.toEpochMilli();
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("from", from.toString());
            body.put("to", to.toString());
            body.put("events", reads.read(c -> upkeep.rollups().countsByType(c, fromMs, toMs)));
            // Capabilities not built in yet answer truthfully empty rather than missing; a section of the
            // same name replaces the placeholder.
            body.put("stock", Map.of());
            body.put("members", Map.of("visits", 0, "visitsByTier", Map.of()));
            body.put("orders", Map.of("picked", 0));
            body.put("labels", Map.of("total", registry.count(DeviceKind.LABEL)));
            for (SummarySection section : sections) {
                body.put(section.name(), reads.read(c -> section.compute(c, fromMs, toMs)));
            }
            Map<String, Object> backlog = status.outboxSummary();
            Map<String, Object> outbox = new LinkedHashMap<>();
            outbox.put("pending", backlog.get("pending"));
            outbox.put("oldestPendingAgeSeconds", backlog.get("oldestPendingAgeSeconds"));
            body.put("outbox", outbox);
            return body;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("summary query failed: " + e.getMessage(), e);
        }
    }

    private void blocking(RoutingContext ctx, String contentType, Callable<String> work) {
        // Unordered: a slow summary must not hold up the requests queued behind it on this event loop.
        answer(ctx, vertx.executeBlocking(work, false), contentType);
    }

    private static void answer(RoutingContext ctx, Future<String> result, String contentType) {
        result.onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("{} failed: {}", ctx.request().path(), ar.cause().getMessage());
                error(ctx, 503, "unavailable", "the store could not answer; retry");
                return;
            }
            ctx.response().putHeader("Content-Type", contentType).end(ar.result());
        });
    }

    private static Long longParam(RoutingContext ctx, String name, long fallback) {
        String text = ctx.request().getParam(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            error(ctx, 400, "bad-parameter", name + " must be a whole number >= 0");
            return null;
        }
    }

    private static void json(RoutingContext ctx, Object body) {
        try {
            ctx.response().putHeader("Content-Type", "application/json").end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    static void error(RoutingContext ctx, int status, String code, String message) {
        Map<String, String> body = Map.of("error", code, "message", message);
        ctx.response().setStatusCode(status);
        json(ctx, body);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
        if (ops != null) {
            ops.close();
        }
    }
}
