package com.retailedge.gateway.store;

import com.retailedge.gateway.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database from growing without bound: what each feature says has expired (events the cloud took,
 * msgId records, closed reorders...) is deleted in small slices through the writer once older than the retention,
 * so device traffic never waits long behind it.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final int SLICE = 5000;

    private final SqliteWriter writer;
    private final Duration retention;
    private final List<Prune> prunes;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("housekeeping"));

    /** Deletes, every ten minutes, a slice of each of {@code prunes} older than {@code retention}. */
    public Housekeeping(SqliteWriter writer, Duration retention, List<Prune> prunes) {
        this.writer = writer;
        this.retention = retention;
        this.prunes = List.copyOf(prunes);
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::pruneOnce, 1, 10, TimeUnit.MINUTES);
    }

    /** Deletes one slice of each kind of expired row; returns the rows deleted. */
    public int pruneOnce() {
        long before = System.currentTimeMillis() - retention.toMillis();
        try {
            return writer.submit(tx -> {
                        int deleted = 0;
                        for (Prune prune : prunes) {
                            deleted += prune.prune(tx, before, SLICE);
                        }
                        return deleted;
                    })
                    .get(60, TimeUnit.SECONDS);
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
