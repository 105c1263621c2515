package com.retailedge.gateway.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on its own connection and thread. Left to SQLite's automatic
 * checkpoint, that work (and its fsync) would land inside whichever device commit crossed the threshold, a
 * latency spike of hundreds of milliseconds. PASSIVE checkpoints never block the writer; a TRUNCATE one is
 * tried when the WAL has grown large, to give the disk space back.
 */
public final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    private static final long INTERVAL_MS = 1000;
    private static final int TRUNCATE_ABOVE_PAGES = 50_000;

    private final Database database;
    private final Thread thread;
    private volatile boolean running = true;

    public WalCheckpointer(Database database) {
        this.database = database;
        this.thread = new Thread(this::run, "wal-checkpointer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try (Connection c = database.openWriteConnection()) {
            while (running) {
                checkpoint(c, "PASSIVE");
                synchronized (this) {
                    wait(INTERVAL_MS);
                }
            }
            checkpoint(c, "TRUNCATE");
        } catch (SQLException e) {
            LOG.warn("WAL checkpointer stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one checkpoint; returns the WAL size in pages it saw. */
    private static int checkpoint(Connection c, String mode) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            int walPages = rs.next() ? rs.getInt(2) : 0;
            if (walPages > TRUNCATE_ABOVE_PAGES && mode.equals("PASSIVE")) {
                checkpoint(c, "TRUNCATE");
            }
            return walPages;
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
