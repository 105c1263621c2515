package com.retailedge.sim.pos;

import java.util.Locale;
import java.util.Random;

/**
 * Units of one SKU sold on one day, drawn from Poisson demand around a mean: {@code steady}; {@code seasonal}
 * (a weekly pattern with a busy Friday and Saturday); {@code intermittent} (a day in four, in lumps);
 * {@code promotion} (steady, tripled over the promotion days).
 */
public enum DemandProfile {
    STEADY,
    SEASONAL,
    INTERMITTENT,
    PROMOTION;

    /** Monday first. */
    static final double[] WEEK = {0.8, 0.8, 0.9, 1.0, 1.3, 1.6, 0.6};

    /** Units sold on a day that falls on {@code weekday} (0 = Monday), inside a promotion or not. */
    public int units(Random random, double mean, int weekday, boolean promoted) {
        return switch (this) {
            case STEADY -> poisson(random, mean);
            case SEASONAL -> poisson(random, mean * WEEK[Math.floorMod(weekday, 7)]);
            case INTERMITTENT -> random.nextDouble() < 0.25 ? 1 + poisson(random, Math.max(0, mean * 4 - 1)) : 0;
            case PROMOTION -> poisson(random, promoted ? 3 * mean : mean);
        };
    }

    /** Parses {@code steady}, {@code seasonal}, {@code intermittent} or {@code promotion}. */
    public static DemandProfile parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown demand profile '" + text + "': use steady, seasonal, intermittent or promotion");
        }
    }

    static int poisson(Random random, double lambda) {
        if (lambda > 30) {
            // Normal approximation: Knuth's product underflows for large means.
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * random.nextGaussian()));
        }
        double limit = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > limit);
        return k - 1;
    }
}
