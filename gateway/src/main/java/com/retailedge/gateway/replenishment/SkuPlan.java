package com.retailedge.gateway.replenishment;

/**
 * The replenishment state of one SKU, kept in memory by the planner and mirrored in {@code replenishment_plan}:
 * its demand window, its settings, the last stock seen, what is on order, whether its position is at or below
 * the reorder point (one request per crossing), and the forecast last made (redone when a closed day changed or
 * a new day began). Writer thread only.
 */
final class SkuPlan {
    final String sku;
    final DemandWindow demand = new DemandWindow();
    Settings settings = Settings.DEFAULT;
    /** The first store day the SKU moved at all: how much history there is. Long.MAX_VALUE: none yet. */
    long firstDay = Long.MAX_VALUE;

    long onHand;
    int threshold;
    long onOrder;
    /** A SKU never booked counts as below: it asks only after it was once above (as the ledger always did). */
    boolean below = true;

    long lastRequestMs;
    Forecast forecast;
    long forecastDay = Long.MIN_VALUE;
    OrderPolicy.Plan plan;
    /** What {@code replenishment_plan} holds for it; null: unknown, write it. */
    Object saved;

    SkuPlan(String sku) {
        this.sku = sku;
    }

    /**
     * Everything the plan row shows except on hand (read from {@code stock_level}): a sale that changes none of
     * it (most of them, above the reorder point) writes no plan row.
     */
    Object snapshot(long today) {
        return java.util.List.of(
                firstDay,
                onOrder,
                threshold,
                below,
                plan,
                forecast.perDay(),
                forecast.sigma(),
                forecast.method(),
                historyDays(today),
                lastRequestMs);
    }

    int historyDays(long today) {
        return firstDay == Long.MAX_VALUE ? 0 : (int) Math.max(0, today - firstDay);
    }
}
