package com.retailedge.gateway.outbox;

import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.WriterThread;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox wakes its listeners (the cloud forwarder) once per commit that appended events, however many it
 * appended, on the writer right after the commit, when every event of it is readable; a rolled-back append wakes
 * nobody, and the next commit still does.
 */
@Timeout(30)
class OutboxWakeTest {
    @TempDir
    Path dir;

    @Test
    void a_commit_of_many_events_wakes_the_listeners_once_with_all_of_them_readable() throws Exception {
        Database database = Database.open(dir);
        Outbox outbox;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
        }
        AtomicInteger wakes = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Long> readableAtWake = new CopyOnWriteArrayList<>();
        outbox.onAppend(() -> {
            threads.add(Thread.currentThread().getName());
            readableAtWake.add(outbox.lastSequence());
            wakes.incrementAndGet();
        });
        try (SqliteWriter writer = new SqliteWriter(database, 100, 1000, new SimpleMeterRegistry())) {
            writer.start();
            writer.submit(tx -> {
                        for (int n = 0; n < 50; n++) {
                            outbox.append(tx, "test.event", "s-" + n, Map.of("n", n));
                        }
                        return null;
                    })
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() >= 1);
            assertEquals(50, outbox.lastSequence());

            // A unit that appends and then fails: rolled back, no wake of its own; the writer's next commit wakes.
            assertTrue(writer.submit(tx -> {
                        outbox.append(tx, "test.event", "lost", Map.of());
                        throw new IllegalStateException("refused after appending");
                    })
                    .handle((ok, failure) -> failure != null)
                    .get(10, TimeUnit.SECONDS));
            writer.submit(tx -> outbox.append(tx, "test.event", "s-50", Map.of()))
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() >= 2);
            // A last write that appends nothing: it wakes nobody.
            writer.submit(tx -> null).get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, wakes.get(), "one wake per commit that appended, 51 events in all");
        assertEquals(List.of(50L, 51L), readableAtWake, "each wake sees its commit's last event readable");
        assertEquals(51, outbox.lastSequence(), "gap-free after the rolled-back append");
        // The wake only signals, so it runs on the writer: no thread hop per commit.
        assertEquals(Set.of(WriterThread.NAME), threads);
    }
}
