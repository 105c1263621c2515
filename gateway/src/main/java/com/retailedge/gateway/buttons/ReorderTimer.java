package com.retailedge.gateway.buttons;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.store.SqliteWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the cancel window of held reorders. The deadline lives in SQLite ({@code reorder.due_ms}); this timer
 * only wakes the writer at that moment, and at start it picks up every held reorder again, so a window that
 * ran out while the gateway was down is closed as soon as it is back.
 */
final class ReorderTimer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReorderTimer.class);
    private static final long RETRY_MS = 1000;

    private final SqliteWriter writer;
    private final Reorders reorders;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("reorder-timer"));

    ReorderTimer(SqliteWriter writer, Reorders reorders) {
        this.writer = writer;
        this.reorders = reorders;
    }

    /** Schedules every held reorder found in the store; call once at start. */
    int resume(Connection c) throws SQLException {
        int count = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT reorder_id, due_ms FROM reorder WHERE state = 'held'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                schedule(rs.getString(1), rs.getLong(2));
                count++;
            }
        }
        return count;
    }

    /** Closes the window of this reorder at {@code dueMs} (at once when already past). */
    void schedule(String reorderId, long dueMs) {
        long delay = Math.max(0, dueMs - System.currentTimeMillis());
        if (!timer.isShutdown()) {
            timer.schedule(() -> closeWindow(reorderId), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void closeWindow(String reorderId) {
        writer.submit(tx -> reorders.request(tx, reorderId, "held", null)).whenComplete((requested, failure) -> {
            if (failure != null) {
                // The deadline is durable: try again shortly (a full queue or a busy disk passes).
                LOG.warn(
                        "closing the cancel window of reorder {} failed, retrying: {}",
                        reorderId,
                        failure.getMessage());
                schedule(reorderId, System.currentTimeMillis() + RETRY_MS);
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
