import com.retailedge.gateway.replenishment.Forecast;
import com.retailedge.gateway.replenishment.Forecaster;
import com.retailedge.gateway.replenishment.Forecaster.Method;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Each forecasting method against simulated daily demand (steady 10/day; weekly 10/day with a strong weekend;
 * mild-weekly 20/day with a +-25 % week; intermittent, a day in four with 1 + Poisson(3); trend 5/day rising 0.1
 * a day; promotion 10/day tripled for a week from day 90), all Poisson: MASE (Hyndman and Koehler 2006) of the one-day
 * forecast and of the demand over a 3-day lead time plus review, each scaled by the naive forecast's in-sample
 * error, so naive scores about 1 and lower is better. Rolling origin: every day of the test part is forecast
 * from the 56 days before it, as the gateway does.
 * java -cp gateway/target/gateway.jar bench/ForecastBench.java [SERIES_PER_PROFILE]
 */
public class ForecastBench {
    static final int DAYS = 140;
    static final int TRAIN = 56;
    static final int WINDOW = 56;
    static final int HORIZON = 3;
    static final double[] WEEK = {0.8, 0.8, 0.9, 1.0, 1.3, 1.6, 0.6};
    static final double[] MILD_WEEK = {0.9, 0.9, 0.95, 1.0, 1.1, 1.25, 0.9};

    public static void main(String[] args) {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String[] profiles = {"steady", "weekly", "mild-weekly", "intermittent", "trend", "promotion"};
        StringBuilder header = new StringBuilder("| method |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String p : profiles) {
            header.append(' ').append(p).append(" 1d | ").append(p).append(" 3d |");
            rule.append("---|---|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (Method method : Method.values()) {
            StringBuilder row = new StringBuilder("| " + method.wire() + " |");
            for (String profile : profiles) {
                double[] mase = new double[2];
                for (int s = 0; s < series; s++) {
                    double[] y = simulate(profile, new Random(1000L * s + profile.hashCode()));
                    double[] m = mase(method, y);
                    mase[0] += m[0] / series;
                    mase[1] += m[1] / series;
                }
                row.append(String.format(" %.3f | %.3f |", mase[0], mase[1]));
            }
            System.out.println(row);
        }
    }

    static double[] simulate(String profile, Random r) {
        double[] y = new double[DAYS];
        for (int t = 0; t < DAYS; t++) {
            int weekday = t % 7;
            y[t] = switch (profile) {
                case "steady" -> poisson(r, 10);
                case "weekly" -> poisson(r, 10 * WEEK[weekday]);
                case "mild-weekly" -> poisson(r, 20 * MILD_WEEK[weekday]);
                case "intermittent" -> r.nextDouble() < 0.25 ? 1 + poisson(r, 3) : 0;
                case "trend" -> poisson(r, 5 + 0.1 * t);
                case "promotion" -> poisson(r, t >= 90 && t < 97 ? 30 : 10);
                default -> throw new IllegalArgumentException(profile);
            };
        }
        return y;
    }

    /** {1-day MASE, 3-day MASE} of one series. */
    static double[] mase(Method method, double[] y) {
        double scale1 = 0;
        double scale3 = 0;
        int n3 = 0;
        for (int t = 1; t < TRAIN; t++) {
            scale1 += Math.abs(y[t] - y[t - 1]);
        }
        for (int t = 1; t + HORIZON <= TRAIN; t++) {
            scale3 += Math.abs(sum(y, t, HORIZON) - HORIZON * y[t - 1]);
            n3++;
        }
        scale1 /= TRAIN - 1;
        scale3 /= n3;
        double err1 = 0;
        double err3 = 0;
        int n = 0;
        for (int t = TRAIN; t + HORIZON <= DAYS; t++) {
            int from = Math.max(0, t - WINDOW);
            Forecast f = Forecaster.forecast(method, y, from, t - from, from % 7);
            err1 += Math.abs(y[t] - f.on(t % 7));
            err3 += Math.abs(sum(y, t, HORIZON) - f.over(t % 7, HORIZON));
            n++;
        }
        return new double[] {err1 / n / Math.max(scale1, 1e-9), err3 / n / Math.max(scale3, 1e-9)};
    }

    static double sum(double[] y, int from, int count) {
        double s = 0;
        for (int i = from; i < from + count; i++) {
            s += y[i];
        }
        return s;
    }

    static int poisson(Random r, double lambda) {
        double limit = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > limit);
        return k - 1;
    }
}
