package com.retailedge.gateway.replenishment;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.store.SqliteWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start and just after each store midnight, plans every SKU again (yesterday is now a closed day, so every
 * forecast moves on, and a SKU that sold nothing yesterday must see it), in writer units of {@link #SLICE}
 * SKUs, one queued after the other, so device input waits behind one slice at most. Also drops demand days the
 * window no longer reads. The thread only schedules; the work runs on the writer.
 */
final class DailyRefresh implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DailyRefresh.class);
    static final int SLICE = 500;

    private final SqliteWriter writer;
    private final ReplenishmentPlanner planner;
    private final ZoneId zone;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("replenishment-daily"));

    DailyRefresh(SqliteWriter writer, ReplenishmentPlanner planner, ZoneId zone) {
        this.writer = writer;
        this.planner = planner;
        this.zone = zone;
    }

    void start() {
        timer.execute(this::runAndReschedule);
    }

    private void runAndReschedule() {
        try {
            long t0 = System.nanoTime();
            int skus = refreshAll().get(1, TimeUnit.HOURS);
            int pruned = 0;
            for (int n = SLICE; n == SLICE; pruned += n) {
                n = writer.submit(tx -> planner.pruneDemand(tx, SLICE)).get(10, TimeUnit.MINUTES);
            }
            LOG.info(
                    "replenishment: planned {} SKUs again in {} ms, dropped {} old demand days",
                    skus,
                    (System.nanoTime() - t0) / 1_000_000,
                    pruned);
        } catch (Exception e) {
            LOG.warn("replenishment: the daily planning stopped: {}", e.toString());
        }
        Instant now = Instant.now();
        Instant next = LocalDate.ofInstant(now, zone)
                .plusDays(1)
                .atStartOfDay(zone)
                .toInstant()
                .plusSeconds(1);
        timer.schedule(this::runAndReschedule, Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Plans every SKU with stock again, slice after slice; completes with how many. Any thread. */
    CompletableFuture<Integer> refreshAll() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        slice(null, 0, done);
        return done;
    }

    private void slice(String after, int total, CompletableFuture<Integer> done) {
        writer.submit(tx -> {
                    List<String> skus = planner.store().skusAfter(tx, after, SLICE);
                    for (String sku : skus) {
                        planner.refresh(tx, sku);
                    }
                    return skus;
                })
                .whenComplete((skus, failure) -> {
                    if (failure != null) {
                        done.completeExceptionally(failure);
                    } else if (skus.size() < SLICE) {
                        done.complete(total + skus.size());
                    } else {
                        slice(skus.get(skus.size() - 1), total + skus.size(), done);
                    }
                });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
