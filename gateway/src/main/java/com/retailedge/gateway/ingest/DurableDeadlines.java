package com.retailedge.gateway.ingest;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the devices' waits for durability that outlive their deadline, with one queue instead of a timer per
 * message. A timer per message ({@code orTimeout}) put every message into, and took it out of, the JDK delay
 * scheduler's heap under its lock, from the event loop and the writer thread: it showed in both profiles. Every
 * wait has the same length, so deadlines fall in the order the waits began; a sweep every {@code tick}, scheduled
 * only while waits are queued, looks at the head of the queue alone. A wait ends at most a tick late.
 */
final class DurableDeadlines {
    private record Wait(long deadlineNanos, CompletableFuture<?> future) {}

    private final long waitNanos;
    private final Executor tick;
    private final Queue<Wait> waits = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();

    DurableDeadlines(Duration wait, Duration tick) {
        this.waitNanos = wait.toNanos();
        this.tick = CompletableFuture.delayedExecutor(tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A wait for {@code durable}: completes as it does, or exceptionally with {@link TimeoutException} once the
     * wait is over. {@code durable} itself goes on.
     */
    <T> CompletableFuture<T> bound(CompletableFuture<T> durable) {
        CompletableFuture<T> wait = durable.copy();
        if (!wait.isDone()) {
            waits.add(new Wait(System.nanoTime() + waitNanos, wait));
            sweepSoon();
        }
        return wait;
    }

    /** Waits not yet ended or swept out; for tests. */
    int queued() {
        return waits.size();
    }

    private void sweepSoon() {
        if (sweepScheduled.compareAndSet(false, true)) {
            tick.execute(this::sweep);
        }
    }

    private void sweep() {
        sweepScheduled.set(false);
        long now = System.nanoTime();
        Wait head;
        while ((head = waits.peek()) != null && (head.future().isDone() || now - head.deadlineNanos() >= 0)) {
            waits.poll();
            head.future().completeExceptionally(new TimeoutException());
        }
        if (!waits.isEmpty()) {
            sweepSoon();
        }
    }
}
