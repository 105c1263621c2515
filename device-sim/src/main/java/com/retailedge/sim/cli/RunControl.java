package com.retailedge.sim.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C end a run cleanly: the shutdown hook asks the run to stop, then waits for it to
 * print its summary and flush its files before the JVM goes away.
 */
final class RunControl {
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private final Thread hook = new Thread(this::onSignal, "ctrl-c");

    RunControl() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void onSignal() {
        stopRequested = true;
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** Sleeps up to {@code millis}, waking early when a stop is requested. */
    void pause(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!stopRequested) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left, 50));
        }
    }

    /** Marks the run as finished; call once, in a finally block. */
    void finished() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running and has just been released.
        }
    }
}
