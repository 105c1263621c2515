package com.retailedge.gateway.replenishment;

import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What replenishment costs on a real SQLite file: planning every SKU again (the daily refresh) for
 * {@code SKUS} SKUs with 56 days of demand each, cold (read back from SQLite) and warm (in memory), and the
 * sale path's throughput through the single writer (one unit per sale line, group commit) with the planner
 * watching the ledger and without it.
 * {@code java -cp gateway/target/gateway.jar:gateway/target/test-classes
 * com.retailedge.gateway.replenishment.ReplenishmentBench [SKUS] [SALES]} (bench/replenishment.sh)
 */
public final class ReplenishmentBench {
    private ReplenishmentBench() {}

    public static void main(String[] args) throws Exception {
        int skus = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int sales = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path dir = Files.createTempDirectory("replenishment-bench");
        Database database = Database.open(dir);
        Outbox outbox;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", Long.MAX_VALUE, Long.MAX_VALUE);
        }
        SqliteWriter writer = new SqliteWriter(database, 1000, 200_000, new SimpleMeterRegistry());
        writer.start();
        long t = System.nanoTime();
        seed(writer, skus);
        System.out.printf("seeded %,d SKUs x %d days of demand in %.1f s%n", skus, DemandWindow.DAYS, secs(t));

        ReplenishmentPlanner planner = new ReplenishmentPlanner(
                outbox, ZoneOffset.UTC, 5, System::currentTimeMillis, new SimpleMeterRegistry());
        DailyRefresh refresh = new DailyRefresh(writer, planner, ZoneOffset.UTC);
        t = System.nanoTime();
        int n = refresh.refreshAll().get(1, TimeUnit.HOURS);
        double cold = secs(t);
        t = System.nanoTime();
        refresh.refreshAll().get(1, TimeUnit.HOURS);
        double warm = secs(t);
        System.out.printf(
                "plan all %,d SKUs again: cold (read from SQLite) %.2f s = %.1f us/SKU; warm (in memory) "
                        + "%.2f s = %.1f us/SKU%n",
                n, cold, cold * 1e6 / n, warm, warm * 1e6 / n);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.out.printf("heap used with %,d SKUs planned: %.0f MB%n", n, (rt.totalMemory() - rt.freeMemory()) / 1e6);

        StockLedger plain = new StockLedger(outbox, 5);
        StockLedger watched = new StockLedger(outbox, 5);
        watched.watchWith(planner);
        for (int round = 0; round < 2; round++) {
            report("sale lines, ledger only         ", sales(writer, plain, skus, sales));
            report("sale lines, ledger + planner    ", sales(writer, watched, skus, sales));
        }
        writer.close();
    }

    private static void report(String what, double[] r) {
        System.out.printf("%s %,.0f lines/s (%,d in %.2f s)%n", what, r[0] / r[1], (long) r[0], r[1]);
    }

    private static void seed(SqliteWriter writer, int skus) throws Exception {
        long today = LocalDate.now(ZoneOffset.UTC).toEpochDay();
        Random random = new Random(1);
        List<CompletableFuture<Object>> done = new ArrayList<>();
        for (int from = 0; from < skus; from += 500) {
            int start = from;
            done.add(writer.submit(tx -> {
                PreparedStatement level =
                        tx.prepare("INSERT INTO stock_level (sku, on_hand, threshold, low, updated_ms) "
                                + "VALUES (?, 1000, NULL, 0, 0)");
                PreparedStatement plan =
                        tx.prepare("INSERT INTO replenishment_plan (sku, first_day, on_hand, on_order, "
                                + "threshold, below, basis, forecast_per_day, sigma, reorder_point, safety_stock, order_up_to, "
                                + "order_qty, history_days, last_request_ms, updated_ms) VALUES (?, ?, 1000, 0, 5, 0, 'threshold', "
                                + "0, 0, 5, 0, 10, 0, 0, 0, 0)");
                PreparedStatement day = tx.prepare("INSERT INTO demand_day (sku, day, qty) VALUES (?, ?, ?)");
                for (int i = start; i < Math.min(skus, start + 500); i++) {
                    String sku = "SKU-" + i;
                    level.setString(1, sku);
                    level.executeUpdate();
                    plan.setString(1, sku);
                    plan.setLong(2, today - DemandWindow.DAYS);
                    plan.executeUpdate();
                    for (int d = 1; d <= DemandWindow.DAYS; d++) {
                        day.setString(1, sku);
                        day.setLong(2, today - d);
                        day.setLong(3, random.nextInt(20));
                        day.executeUpdate();
                    }
                }
                return null;
            }));
        }
        for (CompletableFuture<Object> f : done) {
            f.get(10, TimeUnit.MINUTES);
        }
    }

    /** {count, seconds}: one writer unit per sale line of one unit, as a lane's sale would book it. */
    private static double[] sales(SqliteWriter writer, StockLedger ledger, int skus, int count) throws Exception {
        Random random = new Random(2);
        List<CompletableFuture<Long>> done = new ArrayList<>(count);
        long t = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String sku = "SKU-" + random.nextInt(skus);
            String msgId = "m-" + i;
            done.add(writer.submit(tx ->
                    ledger.move(tx, sku, -1, StockLedger.Kind.SALE, new StockLedger.Cause("lane-1", msgId, "lane-1"))));
        }
        for (CompletableFuture<Long> f : done) {
            f.get(10, TimeUnit.MINUTES);
        }
        return new double[] {count, secs(t)};
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
