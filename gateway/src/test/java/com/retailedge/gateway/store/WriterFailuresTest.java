package com.retailedge.gateway.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer outlives whatever its work throws: an {@link Error} in a unit costs that batch only (rolled back, its
 * futures failed) and the next batch commits; an Error in an after-commit hook does not keep the committed batch's
 * waiters from hearing so. The age of the oldest queued unit shows a writer that is stuck, and side effects of a
 * commit run off the writer thread, where the I/O guard would refuse them.
 */
@Timeout(30)
class WriterFailuresTest {
    private static final long WAIT_S = 10;

    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        writer = new SqliteWriter(database, 100, 1000, new SimpleMeterRegistry());
        writer.start();
        writer.submit(tx -> {
                    try (Statement s = tx.connection().createStatement()) {
                        s.execute("CREATE TABLE item (k TEXT PRIMARY KEY)");
                    }
                    return null;
                })
                .get(WAIT_S, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        writer.close();
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1; // a real StackOverflowError, as a runaway recursion would throw
    }

    private WriteWork<Void> insert(String k) {
        return tx -> {
            PreparedStatement ps = tx.prepare("INSERT INTO item (k) VALUES (?)");
            ps.setString(1, k);
            ps.executeUpdate();
            return null;
        };
    }

    private long count(String k) throws Exception {
        try (Connection c = database.openReadConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM item WHERE k = ?")) {
            ps.setString(1, k);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Test
    void a_stack_overflow_in_a_unit_fails_its_batch_and_the_writer_keeps_going() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Void> blocker = writer.submit(tx -> {
            running.countDown();
            hold.await();
            return null;
        });
        assertTrue(running.await(WAIT_S, TimeUnit.SECONDS));
        // Queued behind the blocker, so the three share the next batch.
        CompletableFuture<Void> before = writer.submit(insert("before"));
        CompletableFuture<Integer> overflow = writer.submit(tx -> recurse(0));
        CompletableFuture<Void> after = writer.submit(insert("after"));
        hold.countDown();
        blocker.get(WAIT_S, TimeUnit.SECONDS);

        ExecutionException thrown =
                assertThrows(ExecutionException.class, () -> overflow.get(WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(StackOverflowError.class, thrown.getCause().getCause(), thrown.toString());
        assertThrows(ExecutionException.class, () -> before.get(WAIT_S, TimeUnit.SECONDS), "the batch's futures fail");
        assertThrows(ExecutionException.class, () -> after.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(0, count("before"), "rolled back");

        writer.submit(insert("next")).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, count("next"), "the writer serves the next batch");
        assertTrue(writer.alive());
    }

    @Test
    void an_error_in_an_after_commit_hook_still_completes_the_committed_work() throws Exception {
        writer.submit(tx -> {
                    insert("hooked").run(tx);
                    tx.afterCommit(() -> {
                        throw new OutOfMemoryError("a hook that ran out of memory");
                    });
                    return null;
                })
                .get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, count("hooked"));
        writer.submit(insert("later")).get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(writer.alive());
    }

    @Test
    void the_oldest_queued_unit_ages_while_the_writer_is_stuck_and_is_zero_when_it_is_idle() throws Exception {
        assertEquals(Duration.ZERO, writer.oldestQueuedAge());
        CountDownLatch hold = new CountDownLatch(1);
        CompletableFuture<Void> stuck = writer.submit(tx -> {
            hold.await();
            return null;
        });
        await().atMost(Duration.ofSeconds(WAIT_S))
                .until(() -> writer.oldestQueuedAge().toMillis() >= 1000);
        hold.countDown();
        stuck.get(WAIT_S, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(WAIT_S))
                .until(() -> writer.oldestQueuedAge().isZero());
    }

    @Test
    void side_effects_of_a_commit_run_off_the_writer_and_the_guard_refuses_io_on_it() throws Exception {
        AtomicReference<String> handedOffOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        long violations = WriterThread.violations();
        CompletableFuture<Void> guarded = writer.submit(tx -> {
            WriterThread.forbid("a test's network call");
            return null;
        });
        ExecutionException refused =
                assertThrows(ExecutionException.class, () -> guarded.get(WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        long counted = WriterThread.violations();
        assertTrue(counted > violations, "counted (once per run of the unit: a failed batch runs again isolated)");

        writer.submit(tx -> {
                    tx.handOff(() -> {
                        handedOffOn.set(Thread.currentThread().getName());
                        WriterThread.forbid("a push from a hand-off"); // allowed here
                        ran.countDown();
                    });
                    return null;
                })
                .get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(ran.await(WAIT_S, TimeUnit.SECONDS));
        assertNotEquals(WriterThread.NAME, handedOffOn.get());
        assertEquals(counted, WriterThread.violations(), "a hand-off may do I/O");
    }
}
