package com.retailedge.gateway.store;

import com.retailedge.gateway.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dead letters bounded, so a device sending garbage cannot fill the disk and stop all device input. Past
 * {@code deadletters.max-bytes} of payloads, the payloads of the oldest dead letters are dropped (their rows, with
 * reason, detail and size, stay); rows older than {@code deadletters.retention} are deleted and counted by source
 * and reason in {@code dead_letter_pruned}. Checked every second, in small slices through the writer, so device
 * traffic never waits long behind it; SQLite reuses the freed pages, so the file stops growing.
 */
public final class DeadLetterRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRetention.class);
    private static final int SLICE = 2000;
    private static final long AGE_CHECK_MS = 60_000;

    private final SqliteWriter writer;
    private final DeadLetters deadLetters;
    private final long maxBytes;
    private final Duration retention;
    private final Counter payloadsDropped;
    private final Counter rowsDeleted;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile long ageCheckedMs;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("deadletter-retention"));

    public DeadLetterRetention(
            SqliteWriter writer, DeadLetters deadLetters, long maxBytes, Duration retention, MeterRegistry metrics) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.maxBytes = maxBytes;
        this.retention = retention;
        this.payloadsDropped = Counter.builder("gateway_deadletters_pruned")
                .description("dead letters pruned: payloads dropped past max-bytes, rows deleted past retention")
                .tag("what", "payload")
                .register(metrics);
        this.rowsDeleted = Counter.builder("gateway_deadletters_pruned")
                .description("dead letters pruned: payloads dropped past max-bytes, rows deleted past retention")
                .tag("what", "row")
                .register(metrics);
        metrics.gauge("gateway_deadletters_payload_bytes", deadLetters, DeadLetters::payloadBytes);
    }

    /** Loads the stored payload size (on a read connection, before device input starts) and starts the checks. */
    public void start(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COALESCE(SUM(length(payload)), 0) FROM dead_letter WHERE payload IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            deadLetters.payloadBytes(rs.next() ? rs.getLong(1) : 0);
        }
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private void check() {
        long now = System.currentTimeMillis();
        boolean overBytes = deadLetters.payloadBytes() > maxBytes;
        boolean ageDue = now - ageCheckedMs >= AGE_CHECK_MS;
        if ((!overBytes && !ageDue) || !queued.compareAndSet(false, true)) {
            return;
        }
        writer.submit(tx -> prune(tx, now, overBytes, ageDue)).whenComplete((more, failure) -> {
            queued.set(false);
            if (failure != null) {
                LOG.warn("dead-letter retention: {}", failure.getMessage());
            } else if (ageDue && !more) {
                ageCheckedMs = now;
            }
        });
    }

    /** Writer thread: one slice of each kind of pruning; true when rows past the retention remain. */
    private boolean prune(Tx tx, long now, boolean overBytes, boolean ageDue) throws SQLException {
        boolean more = false;
        if (ageDue) {
            more = deleteExpired(tx, now - retention.toMillis());
        }
        if (overBytes) {
            dropOldestPayloads(tx, deadLetters.payloadBytes() - maxBytes);
        }
        return more;
    }

    private boolean deleteExpired(Tx tx, long before) throws SQLException {
        PreparedStatement last = tx.prepare(
                "SELECT MAX(id) FROM (SELECT id FROM dead_letter WHERE at_ms < ? " + "ORDER BY at_ms LIMIT ?)");
        last.setLong(1, before);
        last.setInt(2, SLICE);
        long upTo;
        try (ResultSet rs = last.executeQuery()) {
            upTo = rs.next() ? rs.getLong(1) : 0;
        }
        if (upTo == 0) {
            return false;
        }
        PreparedStatement tally = tx.prepare("INSERT INTO dead_letter_pruned (source, reason, rows, bytes) "
                + "SELECT source, reason, COUNT(*), SUM(size) FROM dead_letter WHERE at_ms < ? AND id <= ? "
                + "GROUP BY source, reason ON CONFLICT (source, reason) DO UPDATE SET rows = rows + excluded.rows, "
                + "bytes = bytes + excluded.bytes");
        tally.setLong(1, before);
        tally.setLong(2, upTo);
        tally.executeUpdate();
        PreparedStatement freed = tx.prepare("SELECT COALESCE(SUM(length(payload)), 0) FROM dead_letter "
                + "WHERE at_ms < ? AND id <= ? AND payload IS NOT NULL");
        freed.setLong(1, before);
        freed.setLong(2, upTo);
        long bytes;
        try (ResultSet rs = freed.executeQuery()) {
            bytes = rs.next() ? rs.getLong(1) : 0;
        }
        PreparedStatement delete = tx.prepare("DELETE FROM dead_letter WHERE at_ms < ? AND id <= ?");
        delete.setLong(1, before);
        delete.setLong(2, upTo);
        int deleted = delete.executeUpdate();
        tx.afterCommit(() -> {
            deadLetters.payloadsDropped(bytes);
            rowsDeleted.increment(deleted);
        });
        return deleted >= SLICE;
    }

    /** Drops the payloads of the oldest dead letters that still have one, until {@code excess} bytes are gone. */
    private void dropOldestPayloads(Tx tx, long excess) throws SQLException {
        PreparedStatement oldest =
                tx.prepare("SELECT id, length(payload) FROM dead_letter WHERE payload IS NOT NULL ORDER BY id LIMIT ?");
        oldest.setInt(1, SLICE);
        long freed = 0;
        long upTo = 0;
        int rows = 0;
        try (ResultSet rs = oldest.executeQuery()) {
            while (freed < excess && rs.next()) {
                upTo = rs.getLong(1);
                freed += rs.getLong(2);
                rows++;
            }
        }
        if (rows == 0) {
            return;
        }
        PreparedStatement drop =
                tx.prepare("UPDATE dead_letter SET payload = NULL WHERE payload IS NOT NULL AND id <= ?");
        drop.setLong(1, upTo);
        drop.executeUpdate();
        long bytes = freed;
        int count = rows;
        tx.afterCommit(() -> {
            deadLetters.payloadsDropped(bytes);
            payloadsDropped.increment(count);
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
