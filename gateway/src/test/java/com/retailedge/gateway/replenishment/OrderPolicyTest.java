package com.retailedge.gateway.replenishment;

import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reorder points and order quantities for known forecasts and settings. */
class OrderPolicyTest {
    private static final Forecast TEN = new Forecast(10, new double[] {1, 1, 1, 1, 1, 1, 1}, 3, "test", 28);
    private static final Settings PACKS_OF_12 = new Settings(Duration.ofDays(2), Duration.ofDays(1), 12, 0.95, null);

    @Test
    void given_a_forecast_then_the_reorder_point_covers_lead_time_and_review_with_safety_stock() {
        OrderPolicy.Plan p = OrderPolicy.plan(TEN, PACKS_OF_12, 28, 5, 100, 0);
        assertEquals("forecast", p.basis());
        double safety = 1.6449 * 3 * Math.sqrt(3);
        assertEquals(safety, p.safetyStock(), 1e-3);
        assertEquals((long) Math.ceil(30 + safety), p.reorderPoint());
        assertEquals(p.reorderPoint() + 10, p.orderUpTo(), "one review period's demand above it");
        assertEquals(0, p.orderQty(), "100 on hand is above the reorder point");
    }

    @Test
    void given_a_position_at_the_reorder_point_then_it_orders_whole_packs_up_to_the_order_up_to_level() {
        OrderPolicy.Plan p = OrderPolicy.plan(TEN, PACKS_OF_12, 28, 5, 39, 0);
        assertEquals(39, p.reorderPoint());
        assertEquals(49, p.orderUpTo());
        assertEquals(12, p.orderQty(), "10 missing, one pack of 12");
        assertEquals(24, OrderPolicy.plan(TEN, PACKS_OF_12, 28, 5, 30, 0).orderQty(), "19 missing, two packs");
    }

    @Test
    void given_max_stock_then_the_order_stays_within_it() {
        Settings capped = new Settings(Duration.ofDays(2), Duration.ofDays(1), 12, 0.95, 45L);
        OrderPolicy.Plan p = OrderPolicy.plan(TEN, capped, 28, 5, 30, 0);
        assertEquals(45, p.orderUpTo());
        assertEquals(12, p.orderQty(), "two packs would pass 45");
        assertEquals(0, OrderPolicy.plan(TEN, capped, 28, 5, 39, 0).orderQty(), "no whole pack fits under 45");
    }

    @Test
    void given_too_little_history_then_the_threshold_rule_holds() {
        OrderPolicy.Plan p = OrderPolicy.plan(TEN, Settings.DEFAULT, 13, 5, 4, 0);
        assertEquals("threshold", p.basis());
        assertEquals(5, p.reorderPoint());
        assertEquals(10, p.orderUpTo());
        assertEquals(6, p.orderQty());
        assertEquals(0, OrderPolicy.plan(TEN, Settings.DEFAULT, 13, 5, 6, 0).orderQty());
    }

    @Test
    void the_demand_window_keeps_late_days_and_forgets_old_ones() {
        DemandWindow w = new DemandWindow();
        w.add(100, 3);
        w.add(90, 2);
        w.add(100, 1);
        assertEquals(4, w.on(100));
        assertEquals(2, w.on(90));
        w.add(150, 5);
        assertEquals(0, w.on(90), "more than 56 days before the newest");
        assertEquals(4, w.on(100));
        assertEquals(false, w.add(90, 1));
        assertEquals(0, w.on(149));
    }
}
