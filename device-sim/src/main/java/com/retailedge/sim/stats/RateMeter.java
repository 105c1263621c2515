package com.retailedge.sim.stats;

/** Turns a growing total into a per-second rate between successive calls (one caller thread). */
public final class RateMeter {
    private long lastCount;
    private long lastNanos = System.nanoTime();

    /** The rate since the previous call, per second. */
    public double update(long count) {
        long now = System.nanoTime();
        double seconds = (now - lastNanos) / 1e9;
        double rate = seconds > 0 ? (count - lastCount) / seconds : 0;
        lastCount = count;
        lastNanos = now;
        return rate;
    }
}
