package com.retailedge.gateway.replenishment;

/**
 * A streaming model of one SKU's daily demand: it sees each closed day once, in order, and forecasts the next.
 * Plain Java, no state outside the instance; a forecast costs a pass over the window (56 days), not a refit.
 */
interface DemandModel {
    /** The forecast for a day that falls on {@code weekday} (0 = Monday). */
    double forecast(int weekday);

    /** Takes one closed day's demand. */
    void observe(double demand, int weekday);

    /** Demand per day with the weekday profile taken out: what {@code forecastPerDay} reports. */
    double perDay();

    /** The weekday profile, mean 1 (all 1 for a model without one); a copy. */
    default double[] profile() {
        return new double[] {1, 1, 1, 1, 1, 1, 1};
    }

    /** Yesterday's demand tomorrow: the baseline every method is measured against. */
    final class Naive implements DemandModel {
        private double last;

        @Override
        public double forecast(int weekday) {
            return last;
        }

        @Override
        public void observe(double demand, int weekday) {
            last = demand;
        }

        @Override
        public double perDay() {
            return last;
        }
    }

    /** The mean of the last {@code span} days. */
    final class MovingAverage implements DemandModel {
        private final double[] ring;
        private int seen;
        private double sum;

        MovingAverage(int span) {
            ring = new double[span];
        }

        @Override
        public double forecast(int weekday) {
            return perDay();
        }

        @Override
        public void observe(double demand, int weekday) {
            int i = seen % ring.length;
            sum += demand - ring[i];
            ring[i] = demand;
            seen++;
        }

        @Override
        public double perDay() {
            return seen == 0 ? 0 : sum / Math.min(seen, ring.length);
        }
    }

    /** Simple exponential smoothing (FPP3 §8.1), level started at the first day. */
    final class Ses implements DemandModel {
        private final double alpha;
        private double level;
        private boolean started;

        Ses(double alpha) {
            this.alpha = alpha;
        }

        @Override
        public double forecast(int weekday) {
            return level;
        }

        @Override
        public void observe(double demand, int weekday) {
            level = started ? alpha * demand + (1 - alpha) * level : demand;
            started = true;
        }

        @Override
        public double perDay() {
            return level;
        }
    }

    /**
     * Exponential smoothing of the level with a multiplicative day-of-week profile, no trend: Holt-Winters'
     * seasonal method with m = 7 (FPP3 §8.3). The first week starts the level (its mean) and the profile
     * (each day over that mean, halfway to 1, since one week is one noisy sample); the profile is kept at mean 1.
     */
    final class SeasonalSes implements DemandModel {
        private static final double EPS = 1e-9;
        private final double alpha;
        private final double gamma;
        private final double[] season = {1, 1, 1, 1, 1, 1, 1};
        private final double[] firstWeek = new double[7];
        private final int[] firstWeekdays = new int[7];
        private int seen;
        private double level;

        SeasonalSes(double alpha, double gamma) {
            this.alpha = alpha;
            this.gamma = gamma;
        }

        @Override
        public double forecast(int weekday) {
            if (seen < 7) {
                double sum = 0;
                for (int i = 0; i < seen; i++) {
                    sum += firstWeek[i];
                }
                return seen == 0 ? 0 : sum / seen;
            }
            return level * season[weekday];
        }

        @Override
        public void observe(double demand, int weekday) {
            if (seen < 7) {
                firstWeek[seen] = demand;
                firstWeekdays[seen] = weekday;
                seen++;
                if (seen == 7) {
                    start();
                }
                return;
            }
            seen++;
            double s = season[weekday];
            double next = alpha * (demand / s) + (1 - alpha) * level;
            if (next > EPS) {
                season[weekday] = clamp(gamma * (demand / next) + (1 - gamma) * s);
                normalise();
            }
            level = next;
        }

        private void start() {
            double sum = 0;
            for (double d : firstWeek) {
                sum += d;
            }
            level = sum / 7;
            if (level > EPS) {
                for (int i = 0; i < 7; i++) {
                    season[firstWeekdays[i]] = clamp(1 + (firstWeek[i] / level - 1) / 2);
                }
                normalise();
            }
        }

        private static double clamp(double s) {
            return Math.max(0.05, Math.min(7, s));
        }

        private void normalise() {
            double sum = 0;
            for (double s : season) {
                sum += s;
            }
            for (int i = 0; i < 7; i++) {
                season[i] = season[i] * 7 / sum;
            }
        }

        @Override
        public double perDay() {
            return seen < 7 ? forecast(0) : level;
        }

        @Override
        public double[] profile() {
            return season.clone();
        }
    }

    /**
     * Croston's method (1972) for intermittent demand: the size of non-zero demands and the interval between
     * them are smoothed apart; the rate is size over interval. With {@code sba} the Syntetos-Boylan
     * approximation (2005) takes out Croston's bias: rate times (1 - alpha / 2).
     */
    final class Croston implements DemandModel {
        private final double alpha;
        private final boolean sba;
        private double size;
        private double interval;
        private int sinceLast;
        private boolean started;

        Croston(double alpha, boolean sba) {
            this.alpha = alpha;
            this.sba = sba;
        }

        @Override
        public double forecast(int weekday) {
            return perDay();
        }

        @Override
        public void observe(double demand, int weekday) {
            sinceLast++;
            if (demand <= 0) {
                return;
            }
            if (started) {
                size += alpha * (demand - size);
                interval += alpha * (sinceLast - interval);
            } else {
                size = demand;
                interval = sinceLast;
                started = true;
            }
            sinceLast = 0;
        }

        @Override
        public double perDay() {
            if (!started) {
                return 0;
            }
            double rate = size / interval;
            return sba ? rate * (1 - alpha / 2) : rate;
        }
    }
}
