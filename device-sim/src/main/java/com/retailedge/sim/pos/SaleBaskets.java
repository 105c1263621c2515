package com.retailedge.sim.pos;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One store day of sales: every SKU's units for the day (from its profile) cut into basket lines of 1..3 units,
 * shuffled into baskets of up to 4 lines, each at a time between 08:00 and 20:00 UTC, in time order.
 */
public final class SaleBaskets {
    /** One sale as a lane publishes it. */
    public record Sale(Instant at, Map<String, Integer> lines) {}

    private SaleBaskets() {}

    /** The sales of {@code day} for SKUs {@code skus}, each with its profile, mean units a day. */
    public static List<Sale> day(
            LocalDate day,
            List<String> skus,
            List<DemandProfile> profiles,
            double mean,
            boolean promoted,
            Random random) {
        int weekday = day.getDayOfWeek().getValue() - 1;
        int[] perSku = new int[skus.size()];
        for (int i = 0; i < skus.size(); i++) {
            perSku[i] = profiles.get(i % profiles.size()).units(random, mean, weekday, promoted);
        }
        List<String[]> lines = new ArrayList<>();
        for (int i = 0; i < skus.size(); i++) {
            int units = perSku[i];
            while (units > 0) {
                int qty = Math.min(units, 1 + random.nextInt(3));
                lines.add(new String[] {skus.get(i), Integer.toString(qty)});
                units -= qty;
            }
        }
        Collections.shuffle(lines, random);
        List<Sale> sales = new ArrayList<>();
        long open = day.atTime(8, 0).toInstant(ZoneOffset.UTC).getEpochSecond();
        for (int i = 0; i < lines.size(); ) {
            int size = 1 + random.nextInt(4);
            Map<String, Integer> basket = new LinkedHashMap<>();
            for (int j = 0; j < size && i < lines.size(); j++, i++) {
                basket.merge(lines.get(i)[0], Integer.parseInt(lines.get(i)[1]), Integer::sum);
            }
            sales.add(new Sale(Instant.ofEpochSecond(open + random.nextInt(12 * 3600)), basket));
        }
        sales.sort((a, b) -> a.at().compareTo(b.at()));
        return sales;
    }
}
