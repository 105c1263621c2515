package com.retailedge.gateway.replenishment;

import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forecast methods on series whose answer is known. */
class ForecasterTest {
    @Test
    void given_a_constant_series_then_every_method_forecasts_it_with_no_error() {
        double[] y = new double[56];
        java.util.Arrays.fill(y, 10);
        for (Forecaster.Method m : Forecaster.Method.values()) {
            Forecast f = Forecaster.forecast(m, y, 0, y.length, 0);
            // SBA takes Croston's bias out of intermittent series: on a daily one it reads low by alpha / 2.
            double expected = m == Forecaster.Method.SBA ? 9.5 : 10;
            assertEquals(expected, f.perDay(), 1e-9, m.name());
            assertEquals(10 - expected, f.sigma(), 1e-9, m.name());
            assertEquals(3 * expected, f.over(3, 3), 1e-9, m.name());
        }
    }

    @Test
    void given_a_weekly_pattern_then_the_seasonal_method_learns_the_profile() {
        double[] week = {8, 8, 9, 10, 13, 16, 6};
        double[] y = new double[56];
        for (int t = 0; t < y.length; t++) {
            y[t] = week[t % 7];
        }
        Forecast f = Forecaster.forecast(Forecaster.Method.AUTO, y, 0, y.length, 0);
        assertEquals("seasonal-ses", f.method());
        assertEquals(10, f.perDay(), 0.5);
        // The profile is learnt slowly on purpose (gamma 0.1: one noisy week moves it little), but in order.
        assertTrue(f.on(5) > f.on(4) && f.on(4) > f.on(3) && f.on(3) > f.on(6), java.util.Arrays.toString(f.profile()));
        assertTrue(f.on(5) > 13, "Saturday well above the mean: " + f.on(5));
        assertEquals(13 + 16 + 6, f.over(4, 3), 0.1 * 35, "Friday to Sunday");
    }

    @Test
    void given_intermittent_demand_then_auto_uses_sba_and_forecasts_the_mean_rate() {
        Random r = new Random(5);
        double[] y = new double[56];
        double total = 0;
        for (int t = 0; t < y.length; t++) {
            y[t] = r.nextDouble() < 0.2 ? 5 : 0;
            total += y[t];
        }
        Forecast f = Forecaster.forecast(Forecaster.Method.AUTO, y, 0, y.length, 0);
        assertEquals("sba", f.method());
        double mean = total / y.length;
        assertTrue(Math.abs(f.perDay() - mean) < 0.5 * mean, f.perDay() + " vs mean " + mean);
        assertTrue(f.sigma() > 0);
    }

    @Test
    void given_no_days_then_nothing_is_forecast() {
        Forecast f = Forecaster.forecast(Forecaster.Method.AUTO, new double[0], 0, 0, 0);
        assertEquals(0, f.perDay());
        assertEquals("none", f.method());
    }

    @Test
    void the_safety_factor_is_the_normal_quantile() {
        assertEquals(0, ServiceLevels.z(0.5), 1e-9);
        assertEquals(1.6449, ServiceLevels.z(0.95), 1e-4);
        assertEquals(2.3263, ServiceLevels.z(0.99), 1e-4);
        assertEquals(3.0902, ServiceLevels.z(0.999), 1e-4);
        assertEquals(-1.6449, ServiceLevels.z(0.05), 1e-4);
    }
}
