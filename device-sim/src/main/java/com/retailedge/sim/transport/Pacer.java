package com.retailedge.sim.transport;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls a send action at a steady rate. Each 1 ms tick sends however many messages are due by the
 * clock since start, so the rate does not drift the way sleep-per-message does, and high rates go
 * out as small bursts. All sends happen on the pacer's one thread.
 */
public final class Pacer implements AutoCloseable {
    private final double ratePerSecond;
    private final Runnable sendOne;
    private final long maxBurst;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pacer");
        t.setDaemon(true);
        return t;
    });
    private long startNanos;
    private long done;
    private volatile long skipped;

    /**
     * @param ratePerSecond messages per second, above 0
     * @param sendOne sends one message; must not block for long
     */
    public Pacer(double ratePerSecond, Runnable sendOne) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be above 0, got " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.sendOne = sendOne;
        // Up to 50 ms worth per tick lets a stalled tick catch up without flooding the broker.
        this.maxBurst = Math.max(1, (long) Math.ceil(ratePerSecond * 0.05));
    }

    /** Starts sending. */
    public void start() {
        startNanos = System.nanoTime();
        ticker.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            long due = (long) ((System.nanoTime() - startNanos) / 1e9 * ratePerSecond);
            long behind = due - done;
            if (behind > ratePerSecond) {
                // More than a second behind (a GC pause, a suspended laptop): forget the debt rather
                // than send a flood that would measure the burst, not the rate.
                skipped += behind - maxBurst;
                done = due - maxBurst;
                behind = maxBurst;
            }
            long n = Math.min(behind, maxBurst);
            for (long i = 0; i < n; i++) {
                sendOne.run();
            }
            done += n;
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; report and keep pacing.
            System.err.println("send failed: " + e);
        }
    }

    /** Messages dropped from the schedule because the sender fell more than a second behind. */
    public long skipped() {
        return skipped;
    }

    /** Stops sending; returns once no send is running. */
    @Override
    public void close() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
