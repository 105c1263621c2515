package com.retailedge.sim.pos;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Demand profiles keep their means, and a day's baskets hold exactly the day's units, in time order. */
class SaleBasketsTest {
    @Test
    void given_each_profile_then_its_mean_over_many_weeks_is_the_asked_mean() {
        // The weekly pattern averages 1 over a week (Monday to Sunday sum to 7).
        assertEquals(7, java.util.Arrays.stream(DemandProfile.WEEK).sum(), 1e-9);
        Random random = new Random(3);
        for (DemandProfile profile : DemandProfile.values()) {
            double sum = 0;
            int days = 7 * 400;
            for (int d = 0; d < days; d++) {
                sum += profile.units(random, 10, d % 7, false);
            }
            assertEquals(10, sum / days, 0.6, profile.name());
        }
        assertTrue(DemandProfile.PROMOTION.units(new Random(1), 10, 0, true) > 15, "tripled");
        assertThrows(IllegalArgumentException.class, () -> DemandProfile.parse("spiky"));
    }

    @Test
    void given_a_day_then_its_baskets_hold_the_units_in_time_order_within_opening_hours() {
        LocalDate day = LocalDate.of(2026, 3, 6);
        List<SaleBaskets.Sale> sales =
                SaleBaskets.day(day, List.of("A", "B"), List.of(DemandProfile.STEADY), 10, false, new Random(4));
        int units = sales.stream()
                .mapToInt(s ->
                        s.lines().values().stream().mapToInt(Integer::intValue).sum())
                .sum();
        int expected = 0;
        Random replay = new Random(4);
        for (int i = 0; i < 2; i++) {
            expected +=
                    DemandProfile.STEADY.units(replay, 10, day.getDayOfWeek().getValue() - 1, false);
        }
        assertEquals(expected, units);
        for (int i = 1; i < sales.size(); i++) {
            assertTrue(!sales.get(i).at().isBefore(sales.get(i - 1).at()));
        }
        assertTrue(sales.stream()
                .allMatch(s -> s.at().atZone(ZoneOffset.UTC).getHour() >= 8
                        && s.at().atZone(ZoneOffset.UTC).getHour() < 20));
    }
}
