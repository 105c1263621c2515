package com.retailedge.gateway.cloud.pull;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.SqliteWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code retail.gateway.heartbeat} every {@code cloud.heartbeat} while the cloud link is up: outbox pending and
 * oldest pending age, devices online by kind, labels not current, version and uptime. None is stored while the
 * link is down: a backlog of heartbeats would only say the past, which the outbox age already says. Its numbers
 * come from the same summary as {@code GET /api/v1/summary}, so the two never disagree.
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final String storeId;
    private final SqliteWriter writer;
    private final Outbox outbox;
    private final String version;
    private final long startedNanos = System.nanoTime();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cloud-heartbeat"));

    Heartbeat(String storeId, SqliteWriter writer, Outbox outbox, String version) {
        this.storeId = storeId;
        this.writer = writer;
        this.outbox = outbox;
        this.version = version;
    }

    void start(Duration period, BooleanSupplier linkUp, BiFunction<Instant, Instant, Map<String, Object>> summary) {
        long ms = period.toMillis();
        timer.scheduleAtFixedRate(() -> beat(period, linkUp, summary), ms, ms, TimeUnit.MILLISECONDS);
    }

    private void beat(
            Duration period, BooleanSupplier linkUp, BiFunction<Instant, Instant, Map<String, Object>> summary) {
        if (!linkUp.getAsBoolean()) {
            return;
        }
        try {
            Instant now = Instant.now();
            Map<String, Object> data = data(summary.apply(now.minus(period), now));
            // Bounded wait: a wedged writer must not pile heartbeats up behind it.
            writer.submit(tx -> outbox.append(tx, EventTypes.GATEWAY_HEARTBEAT, storeId, data))
                    .get(period.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The next beat tries again; a timer task that throws would never run again.
            LOG.warn("heartbeat not stored: {}", e.getMessage());
        }
    }

    private Map<String, Object> data(Map<String, Object> summary) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<?, ?> backlog = section(summary, "outbox");
        Map<String, Object> outboxPart = new LinkedHashMap<>();
        outboxPart.put("pending", backlog.get("pending"));
        outboxPart.put("oldestPendingAgeSeconds", backlog.get("oldestPendingAgeSeconds"));
        data.put("outbox", outboxPart);
        Map<String, Object> online = new LinkedHashMap<>();
        section(summary, "devices")
                .forEach((kind, counts) ->
                        online.put(String.valueOf(kind), counts instanceof Map<?, ?> m ? m.get("online") : 0));
        data.put("devicesOnline", online);
        Map<?, ?> labels = section(summary, "labels");
        data.put("labelsNotCurrent", number(labels.get("pending")) + number(labels.get("failed")));
        data.put("version", version);
        data.put("uptimeSeconds", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos));
        return data;
    }

    private static Map<?, ?> section(Map<String, Object> summary, String name) {
        return summary.get(name) instanceof Map<?, ?> m ? m : Map.of();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
