package com.retailedge.gateway.store;

import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.outbox.OutboxQueries;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database from growing without bound: events the cloud took and msgId records older than the
 * retention are deleted in small slices through the writer, so device traffic never waits long behind it.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final int SLICE = 5000;

    private final SqliteWriter writer;
    private final Outbox outbox;
    private final Duration retention;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "housekeeping");
        t.setDaemon(true);
        return t;
    });

    /** Capabilities' own prunes: each deletes at most {@code ?2} rows older than {@code ?1}. */
    private final List<String> capabilityPrunes = new CopyOnWriteArrayList<>();

    public Housekeeping(SqliteWriter writer, Outbox outbox, Duration retention) {
        this.writer = writer;
        this.outbox = outbox;
        this.retention = retention;
    }

    /**
     * Adds a capability's prune, SQL with two parameters: the cut-off time in epoch millis and the slice size,
     * e.g. {@code DELETE FROM t WHERE id IN (SELECT id FROM t WHERE at_ms < ? LIMIT ?)}. Call while wiring.
     */
    public void alsoPrune(String sql) {
        capabilityPrunes.add(sql);
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::pruneOnce, 1, 10, TimeUnit.MINUTES);
    }

    /** Deletes one slice of each kind of expired row; returns the rows deleted. */
    public int pruneOnce() {
        long before = System.currentTimeMillis() - retention.toMillis();
        try {
            return writer.submit(tx -> {
                int deleted = OutboxQueries.pruneAcked(tx.connection(), outbox.ackedSequence(), before, SLICE);
                try (PreparedStatement ps = tx.connection().prepareStatement(
                        "DELETE FROM device_message WHERE (device_id, msg_id) IN (SELECT device_id, msg_id "
                                + "FROM device_message WHERE received_at < ? LIMIT ?)")) {
                    ps.setLong(1, before);
                    ps.setInt(2, SLICE);
                    deleted += ps.executeUpdate();
                }
                for (String sql : capabilityPrunes) {
                    PreparedStatement ps = tx.prepare(sql);
                    ps.setLong(1, before);
                    ps.setInt(2, SLICE);
                    deleted += ps.executeUpdate();
                }
                return deleted;
            }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("housekeeping failed: {}", e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
