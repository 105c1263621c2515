package com.retailedge.sim.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Matches messages sent by devices with their arrival at the cloud: msgId to send time, latency
 * into a histogram, and, when a window is given, a permit per message outstanding at the cloud so
 * a "send as fast as possible" run cannot run away from the gateway.
 *
 * <p>Called from the sending thread ({@link #sent}), Paho publish callbacks ({@link #acked},
 * {@link #failed}), the cloud subscriber ({@link #arrived}) and a sweeper ({@link #expireOlderThan}).
 */
public final class CloudLatencyTracker {
    private final Map<String, Entry> outstanding = new ConcurrentHashMap<>();
    private final Semaphore window;
    private final LatencyStats latency = new LatencyStats();
    private final LongAdder received = new LongAdder();
    private final LongAdder receivedInInterval = new LongAdder();
    private final LongAdder unmatched = new LongAdder();
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureUntil = Long.MAX_VALUE;

    /** @param window permits for outstanding messages, or null for no limit */
    public CloudLatencyTracker(Semaphore window) {
        this.window = window;
    }

    /** Latency is recorded for messages sent from this {@link System#nanoTime()} on (warmup ends). */
    public void measureFrom(long nanos) {
        measureFrom = nanos;
    }

    /** Sending stopped at this time; the measured interval ends here. */
    public void measureUntil(long nanos) {
        measureUntil = nanos;
    }

    /** Start of the measured interval. */
    public long measureFromNanos() {
        return measureFrom;
    }

    /** A message is about to be published. */
    public void sent(String msgId, long nanos) {
        outstanding.put(msgId, new Entry(nanos, nanos >= measureFrom && nanos < measureUntil));
    }

    /** The gateway's broker acknowledged it (PUBACK). */
    public void acked(String msgId) {
        Entry e = outstanding.get(msgId);
        if (e != null) {
            e.acked = true;
        }
    }

    /** It was never accepted by the gateway, so the cloud will not see it. */
    public void failed(String msgId) {
        Entry e = outstanding.remove(msgId);
        if (e != null) {
            release(e);
        }
    }

    /** An event or raw message carrying this msgId reached the cloud subscriber. */
    public void arrived(String msgId, long nanos) {
        Entry e = msgId == null ? null : outstanding.remove(msgId);
        if (e == null) {
            // A duplicate, another run's message, or a message without a msgId.
            unmatched.increment();
            return;
        }
        received.increment();
        if (e.measured) {
            latency.recordNanos(nanos - e.sentNanos);
        }
        if (nanos >= measureFrom && nanos < measureUntil) {
            receivedInInterval.increment();
        }
        release(e);
    }

    /** Frees the window slots of messages outstanding longer than {@code ageNanos}; they may still arrive. */
    public void expireOlderThan(long ageNanos, long nowNanos) {
        for (Entry e : outstanding.values()) {
            if (nowNanos - e.sentNanos > ageNanos) {
                release(e);
            }
        }
    }

    private void release(Entry e) {
        if (window != null && e.released.compareAndSet(false, true)) {
            window.release();
        }
    }

    /** Messages acknowledged by the gateway that have not reached the cloud yet. */
    public long ackedOutstanding() {
        long n = 0;
        for (Entry e : outstanding.values()) {
            if (e.acked) {
                n++;
            }
        }
        return n;
    }

    /** Messages with no acknowledgement and no arrival yet. */
    public long unackedOutstanding() {
        return outstanding.size() - ackedOutstanding();
    }

    /** Up to {@code max} msgIds that were acked but have not arrived. */
    public List<String> ackedOutstandingSample(int max) {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, Entry> e : outstanding.entrySet()) {
            if (e.getValue().acked && ids.size() < max) {
                ids.add(e.getKey());
            }
        }
        return ids;
    }

    /** Matched arrivals. */
    public long received() {
        return received.sum();
    }

    /** Matched arrivals inside the measured interval. */
    public long receivedInInterval() {
        return receivedInInterval.sum();
    }

    /** Arrivals that matched nothing outstanding. */
    public long unmatched() {
        return unmatched.sum();
    }

    /** The latency histogram of measured messages. */
    public LatencyStats latency() {
        return latency;
    }

    private static final class Entry {
        final long sentNanos;
        final boolean measured;
        final AtomicBoolean released = new AtomicBoolean();
        volatile boolean acked;

        Entry(long sentNanos, boolean measured) {
            this.sentNanos = sentNanos;
            this.measured = measured;
        }
    }
}
