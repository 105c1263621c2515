package com.retailedge.gateway.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one check that keeps foreign work off the SQLite writer thread. Every point where the gateway does network
 * I/O or takes another component's lock on behalf of a commit (a label push, a publish to devices, waking the cloud
 * forwarder) calls {@link #forbid}; on the writer it counts a violation and throws, so a hook that should have been
 * a {@link Tx#handOff} fails loudly in tests instead of stalling every device's commit behind a slow peer.
 */
public final class WriterThread {
    /** The writer thread's name. */
    public static final String NAME = "sqlite-writer";

    private static final AtomicLong VIOLATIONS = new AtomicLong();

    private WriterThread() {}

    /** Whether the caller is the writer thread. */
    public static boolean isCurrent() {
        return NAME.equals(Thread.currentThread().getName());
    }

    /**
     * Throws {@link IllegalStateException} when called on the writer thread.
     *
     * @param what the I/O about to happen, for the message
     */
    public static void forbid(String what) {
        if (isCurrent()) {
            VIOLATIONS.incrementAndGet();
            throw new IllegalStateException(what + " on the " + NAME + " thread: hand it off (Tx.handOff)");
        }
    }

    /** How many times {@link #forbid} refused since start: zero in a correct build. */
    public static long violations() {
        return VIOLATIONS.get();
    }
}
