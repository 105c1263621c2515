package com.retailedge.gateway.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single SQLite writer on a real database file: group commit, a savepoint per unit so one failure does
 * not undo its neighbours, and futures that complete only once their data is committed and readable.
 */
@Timeout(30)
class SqliteWriterTest {
    private static final long WAIT_S = 10;

    @TempDir
    Path dir;

    private Database database;
    private SimpleMeterRegistry metrics;
    private SqliteWriter writer;
    private Connection reader;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        metrics = new SimpleMeterRegistry();
        writer = new SqliteWriter(database, 2000, 100_000, metrics);
        writer.start();
        writer.submit(tx -> {
                    try (Statement s = tx.connection().createStatement()) {
                        s.execute("CREATE TABLE item (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
                    }
                    return null;
                })
                .get(WAIT_S, TimeUnit.SECONDS);
        reader = database.openReadConnection();
    }

    @AfterEach
    void close() throws SQLException {
        writer.close();
        reader.close();
    }

    @Test
    void a_unit_submitted_with_the_next_rides_in_the_next_commit_or_gets_its_own_when_its_wait_is_over()
            throws Exception {
        long commitsBefore = commits();
        // a long wait: only the next commit for other work can take it
        CompletableFuture<Void> rider = writer.submitWithNext(
                tx -> {
                    insert(tx, "cursor", 1);
                    return null;
                },
                Duration.ofHours(1));
        Thread.sleep(300);
        assertFalse(rider.isDone(), "waits for a commit to ride with");
        assertEquals(0, count("SELECT COUNT(*) FROM item WHERE k = 'cursor'"));

        writer.submit(tx -> {
                    insert(tx, "press", 2);
                    return null;
                })
                .get(WAIT_S, TimeUnit.SECONDS);
        rider.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(commitsBefore + 1, commits(), "one commit for both");
        assertEquals(2, count("SELECT COUNT(*) FROM item WHERE k IN ('cursor', 'press')"));

        // nothing else to ride with: its own commit once the wait is over
        writer.submitWithNext(
                        tx -> {
                            insert(tx, "alone", 3);
                            return null;
                        },
                        Duration.ofMillis(50))
                .get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(commitsBefore + 2, commits());

        // a stop runs what still waits to ride, instead of refusing it
        CompletableFuture<Void> atStop = writer.submitWithNext(
                tx -> {
                    insert(tx, "at-stop", 4);
                    return null;
                },
                Duration.ofHours(1));
        writer.close();
        atStop.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, count("SELECT COUNT(*) FROM item WHERE k = 'at-stop'"));
    }

    private long commits() {
        return metrics.get("gateway_store_commit").timer().count();
    }

    @Test
    void given_many_threads_submitting_at_once_then_every_unit_commits_and_completes() throws Exception {
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<String>>>> submitted = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    go.await();
                    List<CompletableFuture<String>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String key = thread + "-" + i;
                        futures.add(writer.submit(tx -> {
                            insert(tx, key, thread);
                            return key;
                        }));
                    }
                    return futures;
                }));
            }
            go.countDown();
            Set<String> completed = new TreeSet<>();
            for (Future<List<CompletableFuture<String>>> f : submitted) {
                for (CompletableFuture<String> unit : f.get(WAIT_S, TimeUnit.SECONDS)) {
                    completed.add(unit.get(WAIT_S, TimeUnit.SECONDS));
                }
            }
            assertEquals(threads * perThread, completed.size());
            assertEquals(threads * perThread, count("SELECT COUNT(*) FROM item"));
            assertEquals(0, writer.queued());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void given_work_queued_while_a_commit_runs_then_it_is_committed_together_in_the_next_one() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = writer.submit(tx -> hold(running, release));
        assertTrue(running.await(WAIT_S, TimeUnit.SECONDS));
        List<CompletableFuture<Object>> queued = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String key = "g" + i;
            queued.add(writer.submit(tx -> {
                insert(tx, key, 1);
                return null;
            }));
        }
        release.countDown();
        blocker.get(WAIT_S, TimeUnit.SECONDS);
        CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(100.0, metrics.get("gateway_store_batch_size").summary().max(), "all hundred in one commit");
    }

    @Test
    void given_one_failing_unit_in_a_batch_then_only_it_is_rolled_back_and_its_hook_runs() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = writer.submit(tx -> hold(running, release));
        assertTrue(running.await(WAIT_S, TimeUnit.SECONDS));

        // In-memory state kept the way the outbox keeps its sequence: changed in the unit, undone on rollback.
        AtomicInteger memory = new AtomicInteger();
        AtomicInteger failedRollbacks = new AtomicInteger();
        AtomicInteger failedAfterCommits = new AtomicInteger();
        AtomicInteger neighbourAfterCommits = new AtomicInteger();
        CompletableFuture<String> before = writer.submit(tx -> {
            insert(tx, "before", 1);
            remember(tx, memory);
            tx.afterCommit(neighbourAfterCommits::incrementAndGet);
            return "before";
        });
        IllegalStateException boom = new IllegalStateException("unit refuses");
        CompletableFuture<String> failing = writer.submit(tx -> {
            insert(tx, "failing-1", 1);
            insert(tx, "failing-2", 2);
            remember(tx, memory);
            tx.onRollback(failedRollbacks::incrementAndGet);
            tx.afterCommit(failedAfterCommits::incrementAndGet);
            throw boom;
        });
        CompletableFuture<String> sqlFailing = writer.submit(tx -> {
            insert(tx, "sql-failing", 1);
            remember(tx, memory);
            insert(tx, "before", 2); // primary key taken: SQLException after a row of its own was written
            return "never";
        });
        CompletableFuture<String> after = writer.submit(tx -> {
            insert(tx, "after", 1);
            remember(tx, memory);
            tx.afterCommit(neighbourAfterCommits::incrementAndGet);
            return "after";
        });
        release.countDown();
        blocker.get(WAIT_S, TimeUnit.SECONDS);

        assertEquals("before", before.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals("after", after.get(WAIT_S, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> failing.get(WAIT_S, TimeUnit.SECONDS));
        assertSame(boom, e.getCause(), "the future fails with what the unit threw");
        ExecutionException sql = assertThrows(ExecutionException.class, () -> sqlFailing.get(WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(SQLException.class, sql.getCause());
        assertEquals(4.0, metrics.get("gateway_store_batch_size").summary().max(), "the four units shared one commit");

        assertEquals(
                Set.of("before", "after"), keys(), "the failing units' rows are absent, their neighbours' present");
        assertEquals(2, memory.get(), "only the committed units' in-memory changes remain");
        assertTrue(failedRollbacks.get() >= 1, "the failed unit's onRollback hook ran");
        assertEquals(0, failedAfterCommits.get(), "the failed unit's afterCommit hook did not run");
        assertEquals(2, neighbourAfterCommits.get(), "each neighbour's afterCommit hook ran once");
    }

    /** Changes in-memory state in a unit and registers its undo, as units must. */
    private static void remember(Tx tx, AtomicInteger memory) {
        memory.incrementAndGet();
        tx.onRollback(memory::decrementAndGet);
    }

    @Test
    void given_a_unit_when_its_future_completes_then_its_data_is_visible_to_another_connection() throws Exception {
        // The check runs on the completing thread, at the moment of completion: nothing later can help it.
        List<CompletableFuture<Boolean>> visibleAtCompletion = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String key = "v" + i;
            visibleAtCompletion.add(writer.submit(tx -> {
                        insert(tx, key, 7);
                        return key;
                    })
                    .thenApply(this::isVisible));
        }
        for (CompletableFuture<Boolean> visible : visibleAtCompletion) {
            assertTrue(visible.get(WAIT_S, TimeUnit.SECONDS));
        }
    }

    @Test
    void given_an_after_commit_hook_that_throws_then_the_unit_still_completes() throws Exception {
        CompletableFuture<String> unit = writer.submit(tx -> {
            insert(tx, "hooked", 1);
            tx.afterCommit(() -> {
                throw new IllegalStateException("a faulty listener");
            });
            return "done";
        });
        assertEquals("done", unit.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(1, value("hooked"));
        assertEquals("again", writer.submit(tx -> "again").get(WAIT_S, TimeUnit.SECONDS), "the writer lives on");
    }

    @Test
    void given_a_full_queue_then_submit_is_refused_at_once() throws Exception {
        SqliteWriter small = new SqliteWriter(database, 10, 1, new SimpleMeterRegistry());
        small.start();
        try {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> blocker = small.submit(tx -> hold(running, release));
            assertTrue(running.await(WAIT_S, TimeUnit.SECONDS));
            CompletableFuture<Object> waiting = small.submit(tx -> null);
            CompletableFuture<Object> refused = small.submit(tx -> null);
            ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(1, TimeUnit.SECONDS));
            assertInstanceOf(RejectedExecutionException.class, e.getCause());
            release.countDown();
            blocker.get(WAIT_S, TimeUnit.SECONDS);
            waiting.get(WAIT_S, TimeUnit.SECONDS);
        } finally {
            small.close();
        }
    }

    @Test
    void given_a_closed_writer_then_queued_work_finishes_and_new_work_is_refused() throws Exception {
        List<CompletableFuture<Object>> queued = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String key = "c" + i;
            queued.add(writer.submit(tx -> {
                insert(tx, key, 1);
                return null;
            }));
        }
        writer.close();
        for (CompletableFuture<Object> f : queued) {
            // close() drains the queue before it returns: everything accepted was committed.
            assertTrue(f.isDone());
            f.get();
        }
        assertEquals(50, count("SELECT COUNT(*) FROM item"));
        CompletableFuture<Object> late = writer.submit(tx -> null);
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(1, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
    }

    private static Object hold(CountDownLatch running, CountDownLatch release) throws InterruptedException {
        running.countDown();
        if (!release.await(WAIT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
        }
        return null;
    }

    private static void insert(Tx tx, String key, int value) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("INSERT INTO item (k, v) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setInt(2, value);
            ps.executeUpdate();
        }
    }

    private boolean isVisible(String key) {
        try (PreparedStatement ps = reader.prepareStatement("SELECT 1 FROM item WHERE k = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> keys() throws SQLException {
        Set<String> keys = new TreeSet<>();
        try (Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT k FROM item")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    private long value(String key) throws SQLException {
        try (PreparedStatement ps = reader.prepareStatement("SELECT v FROM item WHERE k = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.getLong(1);
        }
    }
}
