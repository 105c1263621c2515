package com.retailedge.sim.picking;

import java.time.Duration;

/** One line of how a pickers run is going, for a person watching a long run. */
final class ProgressLine {
    private final PickStats stats;
    private final long startNanos;
    private final Duration total;

    ProgressLine(PickStats stats, long startNanos, Duration total) {
        this.stats = stats;
        this.startNanos = startNanos;
        this.total = total;
    }

    String text() {
        long elapsed = Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
        long replies =
                stats.outcomes().values().stream().mapToLong(Long::longValue).sum();
        return "pickers: " + elapsed + "s of " + total.toSeconds() + "s, scans " + stats.sent.sum() + ", replies "
                + replies + ", orders finished " + stats.ordersDone.sum() + ", unanswered " + stats.unanswered.get();
    }
}
