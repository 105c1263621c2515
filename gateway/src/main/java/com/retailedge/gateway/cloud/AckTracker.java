package com.retailedge.gateway.cloud;

import java.util.TreeMap;

/**
 * Turns PUBACKs, which may arrive out of order, into a contiguous "acknowledged up to" cursor, and
 * remembers the bytes of each event sent so the outbox can shrink its pending size. Not thread-safe: the
 * forwarder guards it.
 */
final class AckTracker {
    private long contiguous;
    /** Sent and not yet acknowledged: sequence -> bytes; acknowledged ones above the cursor are negative. */
    private final TreeMap<Long, Integer> outstanding = new TreeMap<>();

    AckTracker(long acknowledgedUpTo) {
        this.contiguous = acknowledgedUpTo;
    }

    void sent(long sequence, int bytes) {
        outstanding.put(sequence, bytes);
    }

    /** Records one PUBACK; returns the bytes that just became contiguous (0 when the cursor did not move). */
    long acknowledged(long sequence) {
        Integer bytes = outstanding.get(sequence);
        if (bytes == null || bytes < 0) {
            return 0;
        }
        outstanding.put(sequence, -bytes - 1);
        long released = 0;
        while (!outstanding.isEmpty()
                && outstanding.firstKey() == contiguous + 1
                && outstanding.firstEntry().getValue() < 0) {
            released += -outstanding.pollFirstEntry().getValue() - 1;
            contiguous++;
        }
        return released;
    }

    long contiguous() {
        return contiguous;
    }

    int inFlight() {
        return outstanding.size();
    }

    /** A re-send asked for by an operator: forget what is in flight and count again from {@code sequence}. */
    void rewind(long sequence) {
        outstanding.clear();
        contiguous = Math.min(contiguous, sequence);
    }

    /** After a lost connection: everything not acknowledged is sent again from the cursor. */
    void resetToCursor() {
        outstanding.clear();
    }
}
