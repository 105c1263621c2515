package com.retailedge.gateway.replenishment;

/**
 * Turns a forecast into a reorder point and an order, plain arithmetic (Silver, Pyke and Thomas: a periodic
 * review, order-up-to policy with safety stock):
 * <ul>
 *   <li>reorder point = expected demand over lead time + review period, plus safety stock
 *       z(service level) * sigma * sqrt(lead time + review period), rounded up;</li>
 *   <li>order-up-to = reorder point + one review period of demand (at least a day's), capped at max stock;</li>
 *   <li>order = whole packs from the inventory position (on hand + on order) up to the order-up-to level, never
 *       beyond max stock.</li>
 * </ul>
 * With too little history the old rule holds: the SKU's stock threshold is the reorder point, and it orders
 * up to max stock, or to twice the threshold (at least one pack above it).
 */
final class OrderPolicy {
    /** Days of history before the forecast is trusted over the threshold. */
    static final int MIN_HISTORY_DAYS = 14;

    /** What the policy says for one SKU at one moment. */
    record Plan(String basis, long reorderPoint, double safetyStock, long orderUpTo, long orderQty) {}

    private OrderPolicy() {}

    /** {@code firstWeekday}: the weekday of today (0 = Monday), where the cover span starts. */
    static Plan plan(
            Forecast forecast, Settings settings, int historyDays, int threshold, long position, int firstWeekday) {
        if (historyDays < MIN_HISTORY_DAYS) {
            long upTo = settings.maxStock() != null
                    ? settings.maxStock()
                    : Math.max(2L * threshold, threshold + settings.packSize());
            return new Plan("threshold", threshold, 0, upTo, orderQty(position, threshold, upTo, settings));
        }
        double cover = settings.coverDays();
        double safety = ServiceLevels.z(settings.serviceLevel()) * forecast.sigma() * Math.sqrt(cover);
        long reorderPoint = (long) Math.ceil(forecast.over(firstWeekday, cover) + Math.max(0, safety) - 1e-9);
        long upTo = reorderPoint + (long) Math.ceil(forecast.perDay() * Math.max(1, settings.reviewDays()) - 1e-9);
        if (settings.maxStock() != null) {
            upTo = Math.min(upTo, settings.maxStock());
        }
        return new Plan("forecast", reorderPoint, safety, upTo, orderQty(position, reorderPoint, upTo, settings));
    }

    /** Whole packs from {@code position} up to {@code upTo} while at or below the reorder point; else 0. */
    static long orderQty(long position, long reorderPoint, long upTo, Settings settings) {
        if (position > reorderPoint || upTo <= position) {
            return 0;
        }
        long pack = settings.packSize();
        long qty = (upTo - position + pack - 1) / pack * pack;
        if (settings.maxStock() != null && position + qty > settings.maxStock()) {
            qty = Math.max(0, (settings.maxStock() - position) / pack * pack);
        }
        return qty;
    }
}
