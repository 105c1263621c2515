package com.retailedge.gateway.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(20)
class DurableDeadlinesTest {
    private final DurableDeadlines deadlines = new DurableDeadlines(Duration.ofMillis(300), Duration.ofMillis(20));

    @Test
    void a_wait_the_store_never_answers_ends_with_a_timeout_and_the_work_goes_on() throws Exception {
        CompletableFuture<String> durable = new CompletableFuture<>();
        long started = System.nanoTime();
        CompletableFuture<String> wait = deadlines.bound(durable);

        ExecutionException ended = assertThrows(ExecutionException.class, () -> wait.get(5, TimeUnit.SECONDS));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertInstanceOf(TimeoutException.class, ended.getCause());
        assertEquals(true, waitedMs >= 300, "not before its deadline: " + waitedMs + " ms");
        assertFalse(durable.isDone(), "the work itself is not cancelled");
        await().atMost(Duration.ofSeconds(2)).until(() -> deadlines.queued() == 0);
    }

    @Test
    void waits_that_end_in_time_keep_their_result_and_leave_the_queue() throws Exception {
        List<CompletableFuture<Integer>> waits = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            CompletableFuture<Integer> durable = new CompletableFuture<>();
            waits.add(deadlines.bound(durable));
            durable.complete(i);
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, waits.get(i).get(1, TimeUnit.SECONDS));
        }
        await("answered waits are swept out, no deadline needed")
                .atMost(Duration.ofMillis(250))
                .until(() -> deadlines.queued() == 0);
        assertEquals(7, deadlines.bound(CompletableFuture.completedFuture(7)).get(), "already durable: no wait");
    }

    @Test
    void a_late_wait_behind_answered_ones_still_ends() throws Exception {
        CompletableFuture<String> answered = new CompletableFuture<>();
        CompletableFuture<String> first = deadlines.bound(answered);
        CompletableFuture<String> stuck = deadlines.bound(new CompletableFuture<>());
        answered.complete("ok");
        assertEquals("ok", first.get(1, TimeUnit.SECONDS));
        ExecutionException ended = assertThrows(ExecutionException.class, () -> stuck.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, ended.getCause());
    }
}
