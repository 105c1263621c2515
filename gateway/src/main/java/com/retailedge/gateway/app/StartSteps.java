package com.retailedge.gateway.app;

import java.lang.management.ManagementFactory;

/**
 * Times the steps of a gateway start, for the one line the log gets when it is up: where a slow start went
 * (docs/benchmarks.md, W4) without a profiler.
 */
final class StartSteps {
    private final StringBuilder line = new StringBuilder();
    private final long began = System.nanoTime();
    private long last = began;

    /** Ends the step called {@code name}: the time since the previous one. */
    void done(String name) {
        long now = System.nanoTime();
        line.append(line.length() == 0 ? "" : ", ").append(name).append(' ').append((now - last) / 1_000_000);
        last = now;
    }

    /** The whole start in milliseconds, the JVM's own start before it, and each step. */
    String summary() {
        long total = (System.nanoTime() - began) / 1_000_000;
        long jvmUp = ManagementFactory.getRuntimeMXBean().getUptime();
        return "started in " + total + " ms, " + Math.max(0, jvmUp - total) + " ms after the JVM (ms: " + line + ")";
    }
}
