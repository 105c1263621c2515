package com.retailedge.sim.picking;

import com.retailedge.sim.stats.LatencyStats;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the pickers saw: scans sent, replies by result and reason, orders finished, scan-to-reply latency. */
final class PickStats {
    final LatencyStats latency = new LatencyStats();
    final LongAdder sent = new LongAdder();
    final LongAdder mistakes = new LongAdder();
    final LongAdder ordersDone = new LongAdder();
    final AtomicLong unanswered = new AtomicLong();
    final LongAdder sentMeasured = new LongAdder();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    /** Off during the warm-up: latency and rate count only from then on. */
    volatile boolean measuring;

    void sent() {
        sent.increment();
        if (measuring) {
            sentMeasured.increment();
        }
    }

    void reply(String result, String reason, long nanos) {
        if (measuring) {
            latency.recordNanos(nanos);
        }
        outcomes.computeIfAbsent(reason == null ? result : result + ":" + reason, k -> new LongAdder())
                .increment();
    }

    Map<String, Long> outcomes() {
        Map<String, Long> m = new TreeMap<>();
        outcomes.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
