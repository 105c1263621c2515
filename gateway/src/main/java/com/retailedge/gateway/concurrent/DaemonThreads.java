package com.retailedge.gateway.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads the gateway starts for itself: named, so a thread dump says which part each belongs to
 * (docs/architecture.md, "Threads"), and daemons, so a part that failed to stop cannot hold the JVM open after
 * {@code Gateway.close()} has stopped everything else.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** A factory for an executor of one thread: every thread it makes is called {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A factory for a pool: threads called {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
