package com.retailedge.gateway.outbox;

import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.WriterThread;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * appended, and never on the writer thread; a rolled-back append wakes nobody, and the next commit still does.
 */
@Timeout(30)
class OutboxWakeTest {
    @TempDir
    Path dir;

    @Test
    void a_commit_of_many_events_wakes_the_listeners_once_off_the_writer_thread() throws Exception {
        Database database = Database.open(dir);
        Outbox outbox;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
        }
        AtomicInteger wakes = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        outbox.onAppend(() -> {
            threads.add(Thread.currentThread().getName());
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
            // A last write with a hand-off of its own: once it ran, every earlier wake had its turn.
            AtomicInteger done = new AtomicInteger();
            writer.submit(tx -> {
                        tx.handOff(done::incrementAndGet);
                        return null;
                    })
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 1);
        }
        assertEquals(2, wakes.get(), "one wake per commit that appended, 51 events in all");
        assertEquals(51, outbox.lastSequence(), "gap-free after the rolled-back append");
        assertTrue(threads.stream().noneMatch(WriterThread.NAME::equals), threads.toString());
    }
}
