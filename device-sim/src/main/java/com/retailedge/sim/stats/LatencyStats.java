package com.retailedge.sim.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Device-to-cloud latency in microseconds, up to one hour, three significant digits. */
public final class LatencyStats {
    private final Histogram histogram = new ConcurrentHistogram(3_600_000_000L, 3);

    /** Records one latency measured with {@link System#nanoTime()}. */
    public void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos / 1000, histogram.getHighestTrackableValue())));
    }

    /** Number of samples. */
    public long count() {
        return histogram.getTotalCount();
    }

    /** Percentiles and max in milliseconds, keyed p50, p90, p99, p99.9, max. */
    public Map<String, Double> summaryMillis() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", ms(histogram.getValueAtPercentile(50)));
        m.put("p90", ms(histogram.getValueAtPercentile(90)));
        m.put("p99", ms(histogram.getValueAtPercentile(99)));
        m.put("p99.9", ms(histogram.getValueAtPercentile(99.9)));
        m.put("max", ms(histogram.getMaxValue()));
        return m;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
