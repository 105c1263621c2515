package com.retailedge.sim.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the messages of a run. Updated from the pacer and from transport callback
 * threads, read by the progress printer, hence adders rather than plain fields.
 */
public final class Counters {
    private final LongAdder sent = new LongAdder();
    private final LongAdder sentBad = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** A message was handed to a transport (or failed to be). */
    public void sent(boolean valid) {
        sent.increment();
        if (!valid) {
            sentBad.increment();
        }
    }

    /** MQTT PUBACK or CoAP 2.04. */
    public void acked() {
        acked.increment();
    }

    /** CoAP 4.xx. */
    public void rejected() {
        rejected.increment();
    }

    /** Not connected, timed out, or any other transport error. */
    public void failed() {
        failed.increment();
    }

    /** A consistent-enough copy for printing. */
    public Snapshot snapshot() {
        return new Snapshot(sent.sum(), sentBad.sum(), acked.sum(), rejected.sum(), failed.sum());
    }

    /**
     * Counter values at one moment.
     *
     * @param sent messages attempted
     * @param bad of which deliberately bad
     * @param acked acknowledged by the gateway's transport
     * @param rejected refused with a CoAP 4.xx
     * @param failed never acknowledged (not connected, timeout, error)
     */
    public record Snapshot(long sent, long bad, long acked, long rejected, long failed) {
        /** Messages still waiting for an outcome. */
        public long pending() {
            return Math.max(0, sent - acked - rejected - failed);
        }
    }
}
