package com.retailedge.gateway.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on its own connection and thread. Left to SQLite's automatic
 * checkpoint, that work would land inside whichever device commit crossed the threshold; and a checkpoint's
 * fsync of the database file delays the writer's WAL fsyncs on the same disk (measured: p99 device-to-cloud
 * latency 4 ms without checkpoints, 35 ms with one every second). So it checkpoints when the writer has been
 * idle for a second, which in a shop is most of the time, and otherwise only after many commits, to keep the
 * WAL bounded: after many commits, or once the WAL file passes 32 MB (a flood of
 * large dead letters writes much per commit). PASSIVE checkpoints never block the writer. A TRUNCATE (which gives
 * the file's space back) waits for the writer lock and for every reader, so it runs only when the writer was idle for
 * the whole interval, and at shutdown.
 *
 * <p>A flood of large payloads appends to the WAL faster than a PASSIVE checkpoint copies it, and SQLite starts the
 * WAL from its beginning again only after a checkpoint caught up with all of it: so the WAL's size is looked at every
 * {@value #TICK_MS} ms, and while it grows past 32 MB a FULL checkpoint (at most one a second) waits up to
 * {@value #FULL_WAIT_MS} ms for the writer's commit in progress, copies every frame while holding the next one off,
 * and lets the writer's next commit start the WAL over: the file stays near 32 MB plus what one tick writes.
 */
public final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    private static final long INTERVAL_MS = 1000;
    private static final long TICK_MS = 100;
    /** How long a FULL checkpoint may hold the writer off while waiting for readers; devices wait 5 s at most. */
    private static final int FULL_WAIT_MS = 200;
    /** Under sustained load, a checkpoint after this many committed units (tens of MB of WAL). */
    private static final long UNITS_BEFORE_FORCED = 200_000;
    /** An idle writer and a WAL file larger than this: the file is truncated, its space given back. */
    private static final long TRUNCATE_ABOVE_BYTES = 16L * 1024 * 1024;
    /** Under sustained load, a FULL checkpoint once the WAL file holds this much. */
    static final long WAL_BYTES_BEFORE_FORCED = 32L * 1024 * 1024;

    private final Database database;
    private final SqliteWriter writer;
    private final Thread thread;
    private volatile boolean running = true;

    public WalCheckpointer(Database database, SqliteWriter writer) {
        this.database = database;
        this.writer = writer;
        this.thread = new Thread(this::run, "wal-checkpointer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long checkpointedAt = writer.unitsCommitted();
        long seenAt = checkpointedAt;
        try (Connection c = database.openWriteConnection()) {
            // A TRUNCATE that meets a reader or the writer gives up at once instead of waiting: while it waits it
            // holds off the writer, and a long read would stall every device's commit behind it.
            busyTimeout(c, 0);
            long intervalEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
            long lastFullNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
            long lastWalBytes = walBytes();
            while (running) {
                synchronized (this) {
                    wait(TICK_MS);
                }
                long now = System.nanoTime();
                long wal = walBytes();
                // Only while the file grows: once a checkpoint let the WAL start over, it is rewritten from the
                // beginning and keeps its length until the idle TRUNCATE below.
                boolean growing = wal > lastWalBytes;
                lastWalBytes = wal;
                if (growing
                        && wal >= WAL_BYTES_BEFORE_FORCED
                        && now - lastFullNanos >= TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS)) {
                    busyTimeout(c, FULL_WAIT_MS);
                    checkpoint(c, "FULL");
                    busyTimeout(c, 0);
                    lastFullNanos = now;
                    checkpointedAt = writer.unitsCommitted();
                }
                if (now - intervalEnds < 0) {
                    continue;
                }
                intervalEnds = now + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
                long units = writer.unitsCommitted();
                boolean idle = units == seenAt;
                seenAt = units;
                if (idle && wal > TRUNCATE_ABOVE_BYTES) {
                    // Only with an idle writer: TRUNCATE holds the writer until every reader is done (and with no
                    // busy wait it gives up at once if one is there; it is tried again next interval).
                    checkpoint(c, "TRUNCATE");
                    checkpointedAt = units;
                } else if (units > checkpointedAt && (idle || units - checkpointedAt >= UNITS_BEFORE_FORCED)) {
                    checkpoint(c, "PASSIVE");
                    checkpointedAt = units;
                }
            }
            busyTimeout(c, 2000);
            checkpoint(c, "TRUNCATE");
        } catch (SQLException e) {
            LOG.warn("WAL checkpointer stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void busyTimeout(Connection c, int ms) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + ms);
        }
    }

    private long walBytes() {
        try {
            return java.nio.file.Files.size(java.nio.file.Path.of(database.file() + "-wal"));
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Runs one checkpoint; returns the WAL size in pages it saw. */
    private static int checkpoint(Connection c, String mode) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            return rs.next() ? rs.getInt(2) : 0;
        } catch (SQLException e) {
            LOG.debug("checkpoint {} failed: {}", mode, e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
