package com.retailedge.gateway.replenishment;

import java.time.Duration;

/**
 * How one SKU is replenished, as the cloud's {@code replenishment} command sets it: the supplier's lead time,
 * the review period (how often orders go out; zero: any time), the pack size orders come in, the service
 * level (the chance of not running out before the next delivery), and an optional cap on stock.
 */
public record Settings(Duration leadTime, Duration reviewPeriod, int packSize, double serviceLevel, Long maxStock) {
    /** For SKUs the cloud has not configured: a 2-day lead time, no review period, single units, 95 % service. */
    public static final Settings DEFAULT = new Settings(Duration.ofDays(2), Duration.ZERO, 1, 0.95, null);

    /** Lead time plus review period, in days: the span the reorder point must cover. */
    public double coverDays() {
        return (leadTime.toMillis() + reviewPeriod.toMillis()) / 86_400_000.0;
    }

    public double reviewDays() {
        return reviewPeriod.toMillis() / 86_400_000.0;
    }
}
