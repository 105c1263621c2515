package com.retailedge.gateway.replenishment;

/**
 * A SKU's demand forecast from its closed days: units per day ({@code perDay}, the weekday profile taken out),
 * the weekday profile (mean 1, index 0 = Monday), the standard deviation of the one-day forecast error
 * ({@code sigma}, the RMSE of the one-step errors over the window), the method that made it, and how many days
 * it learned from.
 */
public record Forecast(double perDay, double[] profile, double sigma, String method, int days) {
    public Forecast {
        profile = profile.clone();
    }

    /** Nothing learned yet. */
    public static Forecast none(int days) {
        return new Forecast(0, new double[] {1, 1, 1, 1, 1, 1, 1}, 0, "none", days);
    }

    /** The forecast for one day that falls on {@code weekday}. */
    public double on(int weekday) {
        return perDay * profile[Math.floorMod(weekday, 7)];
    }

    /**
     * Expected demand over {@code days} (fractional allowed) starting with a day that falls on
     * {@code firstWeekday}: the sum of the days' forecasts, the last one in part.
     */
    public double over(int firstWeekday, double days) {
        double sum = 0;
        int whole = (int) Math.floor(days);
        for (int k = 0; k < whole; k++) {
            sum += on(firstWeekday + k);
        }
        return sum + (days - whole) * on(firstWeekday + whole);
    }

    /** The profile as given (for storing); a copy. */
    @Override
    public double[] profile() {
        return profile.clone();
    }
}
