package com.retailedge.gateway.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's commit window on a real database file: units arriving close together share commits, each held at
 * most until its batch's first unit is the window old, while a unit on its own is never held. The window is long
 * here (200 ms, four times what the configuration allows) so that held and not held cannot be mistaken for each
 * other on a slow machine.
 */
@Timeout(30)
class SqliteWriterCommitWindowTest {
    private static final Duration WINDOW = Duration.ofMillis(200);
    private static final long WAIT_S = 10;

    @TempDir
    Path dir;

    private Database database;
    private SimpleMeterRegistry metrics;
    private SqliteWriter writer;
    private int next;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        metrics = new SimpleMeterRegistry();
        writer = new SqliteWriter(database, 2000, 100_000, WINDOW, metrics);
        writer.start();
        writer.submit(tx -> {
                    try (Statement s = tx.connection().createStatement()) {
                        s.execute("CREATE TABLE item (k INTEGER PRIMARY KEY)");
                    }
                    return null;
                })
                .get(WAIT_S, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        writer.close();
    }

    @Test
    void units_arriving_close_together_share_commits_and_each_waits_at_most_about_the_window() throws Exception {
        long commitsBefore = commits();
        List<CompletableFuture<Long>> done = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            done.add(timed());
            Thread.sleep(5);
        }
        long slowest = 0;
        for (CompletableFuture<Long> f : done) {
            slowest = Math.max(slowest, f.get(WAIT_S, TimeUnit.SECONDS));
        }

        long commits = commits() - commitsBefore;
        // Without the window each unit, 5 ms after the one before, would find the writer idle: 60 commits.
        assertTrue(commits <= 20, "60 units in " + commits + " commits");
        assertTrue(slowest < WINDOW.toMillis() + 1_000, "a held unit waited " + slowest + " ms");
        assertEquals(60, count());
    }

    @Test
    void a_unit_on_its_own_is_not_held_even_right_after_a_busy_stretch() throws Exception {
        Thread.sleep(2 * WINDOW.toMillis()); // the table's creation was the last unit: now long ago
        assertTrue(timed().get(WAIT_S, TimeUnit.SECONDS) < WINDOW.toMillis() / 2, "the first unit of a quiet writer");

        List<CompletableFuture<Long>> busy = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            busy.add(timed());
            Thread.sleep(5);
        }
        for (CompletableFuture<Long> f : busy) {
            f.get(WAIT_S, TimeUnit.SECONDS);
        }
        Thread.sleep(2 * WINDOW.toMillis());

        long alone = timed().get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(alone < WINDOW.toMillis() / 2, "a unit after a pause waited " + alone + " ms");
    }

    @Test
    void a_stop_ends_the_hold_and_commits_what_it_held() throws Exception {
        List<CompletableFuture<Long>> units = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            units.add(timed());
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        writer.close();
        long closingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        for (CompletableFuture<Long> f : units) {
            f.get(WAIT_S, TimeUnit.SECONDS);
        }
        assertEquals(20, count());
        assertTrue(closingMs < WINDOW.toMillis() + 1_000, "the stop took " + closingMs + " ms");
    }

    /** Inserts one row; the future gives the milliseconds from submit to commit. */
    private CompletableFuture<Long> timed() {
        int k = next++;
        long submitted = System.nanoTime();
        return writer.submit(tx -> {
                    PreparedStatement ps = tx.prepare("INSERT INTO item (k) VALUES (?)");
                    ps.setInt(1, k);
                    ps.executeUpdate();
                    return null;
                })
                .thenApply(ignored -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitted));
    }

    private long commits() {
        return metrics.get("gateway_store_commit").timer().count();
    }

    private long count() throws Exception {
        try (var c = database.openReadConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM item")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
