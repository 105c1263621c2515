package com.retailedge.gateway.labels;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every second, looks (on a read connection) for scheduled prices whose start or end passed since the stored
 * position, and for pending labels past their deadline; only when there are any it queues one unit to the writer
 * that applies them and moves the position. The position is in SQLite, so boundaries passed while the gateway was
 * down are applied at start, with no cloud needed. An idle store costs no writes: the WAL checkpointer waits for an
 * idle writer.
 */
final class LabelScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabelScheduler.class);
    private static final String CHECKED = "labels.schedule-checked";

    private final SqliteWriter writer;
    private final ReadPool reads;
    private final LabelBook book;
    private final Duration deadline;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("label-schedule"));

    LabelScheduler(SqliteWriter writer, ReadPool reads, LabelBook book, Duration deadline) {
        this.writer = writer;
        this.reads = reads;
        this.book = book;
        this.deadline = deadline;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            if (queued.get() || !reads.read(this::due)) {
                return;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("label schedule look-up failed: {}", e.getMessage());
            return;
        }
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        writer.submit(this::check).whenComplete((changed, error) -> {
            queued.set(false);
            if (error != null) {
                LOG.warn("label schedule check failed: {}", error.getMessage());
            } else if (changed > 0) {
                LOG.info("scheduled prices took effect: {} labels changed", changed);
            }
        });
    }

    /** Whether a boundary passed or a deadline ran out: then the writer has work. */
    private boolean due(Connection c) throws SQLException {
        long now = System.currentTimeMillis();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT (SELECT value FROM gateway_state WHERE name = ?) AS last, "
                        + "EXISTS (SELECT 1 FROM label WHERE state = ? AND since_ms <= ?)")) {
            ps.setString(1, CHECKED);
            ps.setString(2, LabelBook.PENDING);
            ps.setLong(3, now - deadline.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                if (rs.getBoolean(2)) {
                    return true;
                }
                long last = rs.getLong(1);
                try (PreparedStatement b = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM catalog_item "
                        + "WHERE promo_start_ms > ? AND promo_start_ms <= ?) OR EXISTS (SELECT 1 FROM catalog_item "
                        + "WHERE promo_end_ms > ? AND promo_end_ms <= ?)")) {
                    b.setLong(1, last);
                    b.setLong(2, now);
                    b.setLong(3, last);
                    b.setLong(4, now);
                    try (ResultSet br = b.executeQuery()) {
                        return br.next() && br.getBoolean(1);
                    }
                }
            }
        }
    }

    /** Writer thread. */
    int check(Tx tx) throws SQLException {
        long now = System.currentTimeMillis();
        long last = 0;
        PreparedStatement read = tx.prepare("SELECT value FROM gateway_state WHERE name = ?");
        read.setString(1, CHECKED);
        try (ResultSet rs = read.executeQuery()) {
            if (rs.next()) {
                last = rs.getLong(1);
            }
        }
        List<String> skus = new ArrayList<>();
        PreparedStatement due =
                tx.prepare("SELECT sku FROM catalog_item WHERE (promo_start_ms > ? AND promo_start_ms <= ?) "
                        + "OR (promo_end_ms > ? AND promo_end_ms <= ?)");
        due.setLong(1, last);
        due.setLong(2, now);
        due.setLong(3, last);
        due.setLong(4, now);
        try (ResultSet rs = due.executeQuery()) {
            while (rs.next()) {
                skus.add(rs.getString(1));
            }
        }
        int changed = 0;
        for (String sku : skus) {
            changed += book.renderSku(tx, sku, now);
        }
        PreparedStatement save = tx.prepare("INSERT INTO gateway_state (name, value) VALUES (?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        save.setString(1, CHECKED);
        save.setLong(2, now);
        save.executeUpdate();
        book.expireOverdue(tx, now, deadline);
        return changed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
