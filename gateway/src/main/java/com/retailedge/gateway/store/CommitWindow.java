package com.retailedge.gateway.store;

import java.time.Duration;

/**
 * Whether the writer should hold a fresh batch back for a moment so that units about to arrive share its commit,
 * and for how long. Like PostgreSQL's {@code commit_delay} with {@code commit_siblings}: it waits only while units
 * have been arriving closer together than the window, the latest one included, so an isolated unit (a press in a
 * quiet shop) is never delayed, and it waits at most until the batch's first unit is {@code window} old. Under a
 * steady trickle of about a thousand units a second this trades a millisecond of latency for a commit, an fsync
 * and the writer's wake-ups per unit; under a burst the first unit is already older than the window when the
 * writer takes it, so it does not wait either. Off ({@code window} zero) by default.
 *
 * <p>Writer thread only.
 */
final class CommitWindow {
    /** How quickly the mean gap follows the arrivals: each new gap counts for an eighth. */
    private static final int SMOOTHING_SHIFT = 3;
    /** A gap counts as at most this many windows, so that one pause is forgotten after a few close arrivals. */
    private static final long MAX_GAP_WINDOWS = 16;

    private final long windowNanos;
    private long lastArrivalNanos;
    private long lastGapNanos;
    private long meanGapNanos;

    CommitWindow(Duration window) {
        this.windowNanos = window.toNanos();
        // No evidence yet: as if units came a window apart, so that the first close arrivals engage it at once.
        this.meanGapNanos = windowNanos;
        this.lastGapNanos = windowNanos;
    }

    /** Notes a unit taken from the queue, in queue order, with when it was queued. */
    void arrived(long queuedNanos) {
        if (windowNanos == 0) {
            return;
        }
        if (lastArrivalNanos != 0) {
            long gap = Math.min(Math.max(0, queuedNanos - lastArrivalNanos), windowNanos * MAX_GAP_WINDOWS);
            meanGapNanos += (gap - meanGapNanos) >> SMOOTHING_SHIFT;
            lastGapNanos = gap;
        }
        lastArrivalNanos = queuedNanos;
    }

    /**
     * How long to hold a batch whose first unit was queued at {@code firstQueuedNanos}, at {@code nowNanos}: zero
     * when the window is off, when units have been arriving further apart than the window or the last one came
     * after a pause of at least the window (it is alone: nothing says more follow), or when the first unit is
     * already the window old.
     */
    long holdNanos(long firstQueuedNanos, long nowNanos) {
        if (windowNanos == 0 || meanGapNanos >= windowNanos || lastGapNanos >= windowNanos) {
            return 0;
        }
        return Math.max(0, firstQueuedNanos + windowNanos - nowNanos);
    }
}
