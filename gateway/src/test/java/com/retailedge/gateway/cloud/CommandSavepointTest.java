package com.retailedge.gateway.cloud;

import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command handler that appends an event, queues after-commit work and then refuses leaves nothing of that part
 * behind: the outbox's {@code sequence} stays gap-free in SQLite and in memory, and none of its hooks run, even when
 * it shares a group commit with commands that are applied.
 */
@Timeout(30)
class CommandSavepointTest {
    private static final String PREFIX = "retail/s001/commands/";

    @TempDir
    Path dir;

    @Test
    void a_handler_that_appends_then_refuses_leaves_no_gap_in_sequence_and_runs_no_hook() throws Exception {
        Database database = Database.open(dir);
        Outbox outbox;
        DeviceRegistry registry;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
            registry = DeviceRegistry.load(c);
        }
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        AtomicInteger refusedHooks = new AtomicInteger();
        try (SqliteWriter writer = new SqliteWriter(database, 100, 10_000, metrics)) {
            writer.start();
            Capability test = Capability.named("test")
                    .handles("half-done", (tx, command) -> {
                        outbox.append(
                                tx, "test.half-done", command.get("commandId").asText(), Map.of("step", 1));
                        tx.afterCommit(refusedHooks::incrementAndGet);
                        tx.handOff(refusedHooks::incrementAndGet);
                        throw new Rejection(RejectReason.BAD_COMMAND, "changed its mind after appending");
                    })
                    .handles("done", (tx, command) -> {
                        outbox.append(tx, "test.done", command.get("commandId").asText(), Map.of("step", 1));
                        return "appended";
                    })
                    .build();
            CommandIntake intake = new CommandIntake(
                    "s001", writer, outbox, new DeadLetters(metrics), registry, Capabilities.of(test));
            // Sent without waiting, so refused and applied commands share batches.
            List<CompletableFuture<CommandIntake.Outcome>> outcomes = new ArrayList<>();
            for (int n = 1; n <= 40; n++) {
                String kind = n % 2 == 0 ? "done" : "half-done";
                outcomes.add(intake.receive(
                        PREFIX + kind, ("{\"commandId\":\"c-" + n + "\"}").getBytes(StandardCharsets.UTF_8)));
            }
            for (int n = 1; n <= 40; n++) {
                CommandIntake.Outcome expected =
                        n % 2 == 0 ? CommandIntake.Outcome.APPLIED : CommandIntake.Outcome.REJECTED;
                assertEquals(expected, outcomes.get(n - 1).get(10, TimeUnit.SECONDS), "c-" + n);
            }
            // A write after them all: its hand-off runs after theirs, so theirs had their chance.
            AtomicInteger later = new AtomicInteger();
            writer.submit(tx -> {
                        tx.handOff(later::incrementAndGet);
                        return null;
                    })
                    .get(10, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> later.get() == 1);
            assertEquals(0, refusedHooks.get(), "no hook of a refused part ran");
        }
        try (Connection c = database.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(seq), MAX(seq), "
                        + "SUM(type = 'test.half-done'), SUM(type = 'test.done') FROM outbox")) {
            assertTrue(rs.next());
            long count = rs.getLong(1);
            assertEquals(1, rs.getLong(2));
            assertEquals(count, rs.getLong(3), "sequence is gap-free");
            assertEquals(0, rs.getLong(4), "the refused part's event is not stored");
            assertEquals(20, rs.getLong(5));
            assertEquals(40, count, "20 applied, 20 reported as rejected");
            assertEquals(count, outbox.lastSequence(), "and the sequence in memory agrees");
        }
    }
}
