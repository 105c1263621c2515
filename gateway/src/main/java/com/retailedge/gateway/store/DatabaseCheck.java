package com.retailedge.gateway.store;

import com.retailedge.gateway.concurrent.DaemonThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up check of {@link DatabaseRecovery} ({@code PRAGMA quick_check}) run beside a gateway that is already up,
 * after a clean stop: it reads the whole file, a second for every 500 MB or so, which is no reason to keep devices
 * waiting when the last run closed the database itself. On a read connection (WAL: the writer goes on meanwhile).
 * Damage found is handed to {@code onDamage}, which stops the gateway so that the next start, finding no
 * {@link CleanStop} note, checks again and recovers before it opens the store.
 */
public final class DatabaseCheck implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCheck.class);

    private final Path file;
    private final Consumer<List<String>> onDamage;
    private final Thread thread;
    private volatile Statement running;
    private volatile boolean closed;
    private volatile boolean passed;

    private DatabaseCheck(Path file, Consumer<List<String>> onDamage) {
        this.file = file;
        this.onDamage = onDamage;
        this.thread = DaemonThreads.named("database-check").newThread(this::run);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    public static DatabaseCheck start(Path file, Consumer<List<String>> onDamage) {
        DatabaseCheck check = new DatabaseCheck(file, onDamage);
        check.thread.start();
        return check;
    }

    /** True once the whole database was checked and found sound. */
    public boolean passed() {
        return passed;
    }

    private void run() {
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        try (Connection c = DatabaseRecovery.openReadOnly(file);
                Statement s = c.createStatement()) {
            running = s;
            if (closed) {
                return;
            }
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check(" + DatabaseRecovery.MAX_PROBLEMS + ")")) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    if (!"ok".equals(line)) {
                        problems.add(line);
                    }
                }
            }
        } catch (SQLException e) {
            if (closed) {
                return; // cancelled by close
            }
            problems.add(e.getMessage());
        } finally {
            running = null;
        }
        if (closed) {
            return;
        }
        if (problems.isEmpty()) {
            passed = true;
            LOG.info("database check: sound ({} ms, beside the running gateway)", (System.nanoTime() - t0) / 1_000_000);
        } else {
            LOG.error(
                    "database check: the database {} is damaged: {}; stopping, so that the next start recovers it",
                    file,
                    problems);
            onDamage.accept(problems);
        }
    }

    /** Stops a check still running (SQLite's interrupt) and waits for its thread. */
    @Override
    public void close() {
        closed = true;
        Statement s = running;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // ends by itself
            }
        }
        if (Thread.currentThread() == thread) {
            return; // the damage hand-off stops the gateway from this thread
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
