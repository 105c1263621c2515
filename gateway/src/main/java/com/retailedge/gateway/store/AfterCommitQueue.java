package com.retailedge.gateway.store;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side effects of commits ({@link Tx#handOff}), run in commit order on their own thread, so the writer only
 * enqueues: a slow access point, a blocked Paho client or a busy forwarder never holds a device's commit.
 */
final class AfterCommitQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AfterCommitQueue.class);

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread = new Thread(this::run, "store-after-commit");
    private volatile boolean running = true;

    AfterCommitQueue(MeterRegistry metrics) {
        thread.setDaemon(true);
        metrics.gauge("gateway_store_after_commit_queue", queue, BlockingQueue::size);
    }

    void start() {
        thread.start();
    }

    /** Writer thread: never blocks (the queue is unbounded; each action is as small as the commit that made it). */
    void add(Runnable action) {
        queue.add(action);
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            Runnable next;
            try {
                next = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next == null) {
                continue;
            }
            try {
                next.run();
            } catch (Throwable e) {
                LOG.warn("after-commit hand-off failed", e);
            }
        }
    }

    /** Runs what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
