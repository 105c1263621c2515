package com.retailedge.gateway.replenishment;

import java.util.function.Supplier;

/**
 * Forecasts a SKU's daily demand from its closed days, with the method chosen by measurement
 * ({@code bench/forecast.sh}, {@code docs/replenishment.md}): {@link Method#AUTO} classifies the series by its
 * average demand interval (Syntetos, Boylan and Croston 2005: above 1.32 days it is intermittent) and uses the
 * Syntetos-Boylan approximation for intermittent items, the day-of-week seasonal exponential smoothing for the
 * rest, and plain exponential smoothing where the weekday profile it finds stays within 15 % of flat (noise).
 * Every method runs as one pass over the days, so a forecast costs the window's length, not a refit.
 */
public final class Forecaster {
    /** Days of one-step errors left out of sigma while the model starts up. */
    static final int WARM_UP = 7;
    /** Average demand interval above which a series counts as intermittent (Syntetos et al. 2005). */
    static final double INTERMITTENT_ADI = 1.32;
    /** A weekday profile departing less than this from flat is not used (measured: bench/forecast.sh). */
    static final double MIN_PROFILE = 0.15;

    /** The methods the benchmark compares; {@link #AUTO} is the one the gateway uses. */
    public enum Method {
        NAIVE(DemandModel.Naive::new),
        MOVING_AVERAGE_28(() -> new DemandModel.MovingAverage(28)),
        SES(() -> new DemandModel.Ses(0.2)),
        SEASONAL_SES(() -> new DemandModel.SeasonalSes(0.3, 0.1)),
        CROSTON(() -> new DemandModel.Croston(0.1, false)),
        SBA(() -> new DemandModel.Croston(0.1, true)),
        AUTO(null);

        private final Supplier<DemandModel> factory;

        Method(Supplier<DemandModel> factory) {
            this.factory = factory;
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private Forecaster() {}

    /**
     * Forecasts from {@code count} closed days {@code demand[from .. from+count)}, oldest first; the first falls
     * on {@code firstWeekday} (0 = Monday).
     */
    public static Forecast forecast(Method method, double[] demand, int from, int count, int firstWeekday) {
        if (count == 0) {
            return Forecast.none(0);
        }
        if (method == Method.AUTO) {
            Method chosen = classify(demand, from, count);
            Forecast f = forecast(chosen, demand, from, count, firstWeekday);
            // A weekday profile that stays near flat is noise: smoothing without it forecasts better then.
            return chosen == Method.SEASONAL_SES && weekdayStrength(f.profile()) < MIN_PROFILE
                    ? forecast(Method.SES, demand, from, count, firstWeekday)
                    : f;
        }
        Method chosen = method;
        DemandModel model = chosen.factory.get();
        double squares = 0;
        int errors = 0;
        for (int t = 0; t < count; t++) {
            int weekday = (firstWeekday + t) % 7;
            double y = demand[from + t];
            if (t >= WARM_UP) {
                double e = y - model.forecast(weekday);
                squares += e * e;
                errors++;
            }
            model.observe(y, weekday);
        }
        double sigma = errors == 0 ? 0 : Math.sqrt(squares / errors);
        return new Forecast(Math.max(0, model.perDay()), model.profile(), sigma, chosen.wire(), count);
    }

    /** The largest departure of a weekday from the mean day. */
    static double weekdayStrength(double[] profile) {
        double max = 0;
        for (double p : profile) {
            max = Math.max(max, Math.abs(p - 1));
        }
        return max;
    }

    /** SBA for intermittent series, else the seasonal smoothing. */
    static Method classify(double[] demand, int from, int count) {
        int nonZero = 0;
        for (int t = 0; t < count; t++) {
            if (demand[from + t] > 0) {
                nonZero++;
            }
        }
        if (nonZero == 0) {
            return Method.SBA;
        }
        return (double) count / nonZero > INTERMITTENT_ADI ? Method.SBA : Method.SEASONAL_SES;
    }
}
