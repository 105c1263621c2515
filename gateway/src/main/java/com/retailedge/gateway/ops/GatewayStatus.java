package com.retailedge.gateway.ops;

import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.outbox.OutboxQueries;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's state in one place for {@code /health}, the dashboard and metrics: readiness, the cloud
 * link, the outbox backlog and its age, and whether the outbox bound is reached.
 */
public final class GatewayStatus {
    private final Outbox outbox;
    private final EventLink forwarder;
    private final SqliteWriter writer;
    private final DeviceRegistry registry;
    private final ReadPool reads;
    /** A writer whose oldest queued unit waited this long is stuck: {@code /health} answers 503. */
    public static final java.time.Duration WRITER_STUCK_AFTER = java.time.Duration.ofSeconds(10);

    private volatile boolean ready;
    private volatile Map<String, Object> recovered;
    private volatile List<String> warnings = List.of();
    private volatile CloudLink commandLink;

    public GatewayStatus(
            Outbox outbox,
            EventLink forwarder,
            SqliteWriter writer,
            DeviceRegistry registry,
            ReadPool reads,
            MeterRegistry metrics) {
        this.outbox = outbox;
        this.forwarder = forwarder;
        this.writer = writer;
        this.registry = registry;
        this.reads = reads;
        metrics.gauge("gateway_outbox_pending_events", outbox, Outbox::pendingEvents);
        metrics.gauge("gateway_outbox_pending_bytes", outbox, Outbox::pendingBytes);
        metrics.gauge("gateway_outbox_full", outbox, o -> o.isFull() ? 1 : 0);
        metrics.gauge("gateway_outbox_last_sequence", outbox, Outbox::lastSequence);
        metrics.gauge("gateway_outbox_oldest_pending_age_seconds", this, GatewayStatus::oldestPendingAgeSeconds);
        metrics.gauge("gateway_devices_registered", registry, DeviceRegistry::size);
    }

    public void markReady() {
        ready = true;
    }

    public void markStopping() {
        ready = false;
    }

    /** This start found the database damaged and recovered it; {@code /health} shows the report. */
    public void recovered(Map<String, Object> report) {
        this.recovered = report;
    }

    /** What this start warned about (trial secrets); {@code /health} lists them under {@code warnings}. */
    public void warnings(List<String> found) {
        this.warnings = List.copyOf(found);
    }

    /** Ready, and the writer alive and not stuck: what {@code /health} answers 200 for. */
    public boolean isReady() {
        return ready && writerHealthy();
    }

    /**
     * The writer runs and its oldest queued unit waited less than {@link #WRITER_STUCK_AFTER}: past that, devices
     * are already being refused (their wait for durability is shorter) and nothing new becomes durable.
     */
    public boolean writerHealthy() {
        return writer.alive() && writer.oldestQueuedAge().compareTo(WRITER_STUCK_AFTER) < 0;
    }

    /** Seconds since the oldest event the cloud has not acknowledged was stored; 0 when none waits. */
    public double oldestPendingAgeSeconds() {
        if (outbox.pendingEvents() == 0) {
            return 0;
        }
        try {
            long oldest = reads.read(c -> OutboxQueries.oldestPendingMillis(c, outbox.ackedSequence()));
            return oldest < 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Adds the cloud's command link to {@code /health}: the cloud is connected when both links are. */
    public void withCommandLink(CloudLink link) {
        this.commandLink = link;
    }

    /** The body of {@code /health}. */
    public Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", isReady() ? "UP" : "DOWN");
        Map<String, Object> cloud = new LinkedHashMap<>();
        CloudLinkState state = forwarder.state();
        CloudLink link = commandLink;
        if (link != null && state == CloudLinkState.CONNECTED && link.state() != CloudLinkState.CONNECTED) {
            // events flow but commands cannot arrive yet: not connected in what the store needs from the cloud
            state = link.state();
        }
        cloud.put("state", state.name());
        cloud.put("inFlight", forwarder.inFlight());
        cloud.put("lastError", forwarder.lastError());
        cloud.put(
                "lastErrorAt",
                forwarder.lastErrorAt() == null ? null : forwarder.lastErrorAt().toString());
        LinkError previous = forwarder.previousError();
        cloud.put(
                "previousError",
                previous == null
                        ? null
                        : Map.of(
                                "message",
                                previous.message(),
                                "at",
                                previous.at().toString()));
        if (link != null) {
            cloud.put("commands", Map.of("state", link.state().name(), "lastError", link.lastError()));
        }
        body.put("cloud", cloud);
        body.put("outbox", outboxSummary());
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("writerQueue", writer.queued());
        store.put("writerAlive", writer.alive());
        store.put("oldestQueuedSeconds", writer.oldestQueuedAge().toMillis() / 1000.0);
        store.put("writerStuck", writer.alive() && !writerHealthy());
        if (recovered != null) {
            store.put("recovered", recovered);
        }
        body.put("store", store);
        body.put("devices", Map.of("registered", registry.size()));
        if (!warnings.isEmpty()) {
            body.put("warnings", warnings);
        }
        return body;
    }

    public Map<String, Object> outboxSummary() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("pending", outbox.pendingEvents());
        o.put("pendingBytes", outbox.pendingBytes());
        o.put("oldestPendingAgeSeconds", oldestPendingAgeSeconds());
        o.put("lastSequence", outbox.lastSequence());
        o.put("acknowledgedSequence", outbox.ackedSequence());
        o.put("full", outbox.isFull());
        o.put("maxEvents", outbox.maxEvents());
        o.put("maxBytes", outbox.maxBytes());
        return o;
    }
}
