package com.retailedge.gateway.replenishment;

import com.retailedge.gateway.config.Durations;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.store.Tx;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The one source of {@code retail.replenishment.requested} for stock levels. Sees every stock change in the
 * transaction that books it: sales, picks and counts missing add to the SKU's demand on their own day;
 * receiving closes the oldest open request; then the SKU's forecast (redone only when a closed day changed or
 * a new day began: one SKU's 56 days, never all SKUs) gives a reorder point, and a position (on hand + on
 * order) that falls to or below it asks once, for whole packs up to the order-up-to level. State lives in
 * memory per SKU and is mirrored in {@code replenishment_plan} by one small write per change; after a rolled
 * back unit a SKU is read back from SQLite. Writer thread only.
 */
public final class ReplenishmentPlanner implements StockLedger.Watcher {
    private final Outbox outbox;
    private final ZoneId zone;
    private final int defaultThreshold;
    private final LongSupplier clock;
    private final PlanStore store = new PlanStore();
    private final Map<String, SkuPlan> plans = new HashMap<>();
    private final double[] scratch = new double[DemandWindow.DAYS];

    private final MeterRegistry metrics;

    public ReplenishmentPlanner(
            Outbox outbox, ZoneId zone, int defaultThreshold, LongSupplier clock, MeterRegistry metrics) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.zone = zone;
        this.defaultThreshold = defaultThreshold;
        this.clock = clock;
    }

    @Override
    public void changed(Tx tx, StockLedger.Change change) throws SQLException {
        long now = clock.getAsLong();
        long today = day(now);
        SkuPlan plan = plan(tx, change.sku(), today);
        plan.onHand = change.onHand();
        plan.threshold = change.threshold();
        if (change.kind() != null) {
            long day = Math.min(today, day(change.atMs()));
            plan.firstDay = Math.min(plan.firstDay, day);
            long demand = demand(change);
            if (demand > 0) {
                store.addDemand(tx, plan.sku, day, demand);
                plan.demand.add(day, demand);
                if (day < today) {
                    plan.forecastDay = Long.MIN_VALUE;
                }
            }
            if (change.kind() == StockLedger.Kind.RECEIVING) {
                long closed = store.closeOldest(
                        tx, plan.sku, change.delta(), change.cause().ref(), now);
                if (closed >= 0) {
                    plan.onOrder = Math.max(0, plan.onOrder - closed);
                }
            }
        }
        evaluate(tx, plan, change.cause(), now, today);
    }

    /** Sets how a SKU is replenished ({@code replenishment} command) and plans it again at once. */
    void configure(Tx tx, String sku, Settings settings, String commandId) throws SQLException {
        long now = clock.getAsLong();
        long today = day(now);
        SkuPlan plan = plan(tx, sku, today);
        store.saveSettings(tx, sku, settings, commandId, now);
        plan.settings = settings;
        evaluate(tx, plan, new StockLedger.Cause(sku, null, commandId), now, today);
    }

    /**
     * A request a person made (a dash button's reorder): it goes up as the same event as the planner's, with the
     * SKU's plan (forecast, reorder point, basis), {@code qty} rounded up to whole packs, and counts as on order
     * until receiving closes it. {@code extra} (the reorder's own fields) goes into the event first.
     */
    public void requestByHand(Tx tx, String sku, long qty, String subject, Map<String, Object> extra)
            throws SQLException {
        long now = clock.getAsLong();
        long today = day(now);
        SkuPlan plan = plan(tx, sku, today);
        evaluate(tx, plan, new StockLedger.Cause(subject, null, null), now, today);
        long pack = plan.settings.packSize();
        long units = Math.max(pack, (qty + pack - 1) / pack * pack);
        request(tx, plan, new StockLedger.Cause(subject, null, null), now, units, extra);
        evaluate(tx, plan, new StockLedger.Cause(subject, null, null), now, today);
    }

    /** Plans a SKU again with nothing moved: a new day, so its forecast takes in yesterday. */
    void refresh(Tx tx, String sku) throws SQLException {
        long now = clock.getAsLong();
        long today = day(now);
        evaluate(tx, plan(tx, sku, today), new StockLedger.Cause(sku, null, null), now, today);
    }

    /** Drops stored demand days older than the window reads; a slice at a time. */
    int pruneDemand(Tx tx, int limit) throws SQLException {
        return store.pruneDemand(tx, day(clock.getAsLong()) - DemandWindow.DAYS - 1, limit);
    }

    PlanStore store() {
        return store;
    }

    /** Sales, picks, and counts below the ledger (units gone unrecorded) are demand; receiving is not. */
    private static long demand(StockLedger.Change change) {
        return switch (change.kind()) {
            case SALE, PICK -> -change.delta();
            case COUNT -> change.delta() < 0 ? -change.delta() : 0;
            case RECEIVING -> 0;
        };
    }

    private SkuPlan plan(Tx tx, String sku, long today) throws SQLException {
        SkuPlan plan = plans.get(sku);
        if (plan == null) {
            plan = store.load(tx, sku, today, defaultThreshold);
            plans.put(sku, plan);
        }
        // The unit may yet roll back: then memory is wrong and the SKU is read back from SQLite next time.
        tx.onRollback(() -> plans.remove(sku));
        return plan;
    }

    private void evaluate(Tx tx, SkuPlan plan, StockLedger.Cause cause, long now, long today) throws SQLException {
        if (plan.forecastDay != today) {
            plan.forecast = forecast(plan, today);
            plan.forecastDay = today;
        }
        int weekday = LocalDate.ofEpochDay(today).getDayOfWeek().getValue() - 1;
        int history = plan.historyDays(today);
        long position = plan.onHand + plan.onOrder;
        OrderPolicy.Plan p = OrderPolicy.plan(plan.forecast, plan.settings, history, plan.threshold, position, weekday);
        boolean atOrBelow = position <= p.reorderPoint();
        if (atOrBelow && !plan.below && p.orderQty() > 0) {
            plan.plan = p;
            request(tx, plan, cause, now, p.orderQty(), Map.of());
            position += p.orderQty();
            p = OrderPolicy.plan(plan.forecast, plan.settings, history, plan.threshold, position, weekday);
            atOrBelow = position <= p.reorderPoint();
        }
        plan.below = atOrBelow;
        plan.plan = p;
        Object snapshot = plan.snapshot(today);
        if (!snapshot.equals(plan.saved)) {
            store.savePlan(tx, plan, today, now);
            plan.saved = snapshot;
        }
    }

    private Forecast forecast(SkuPlan plan, long today) {
        if (plan.firstDay == Long.MAX_VALUE) {
            return Forecast.none(0);
        }
        long from = Math.max(plan.firstDay, today - DemandWindow.DAYS);
        int count = (int) (today - from);
        for (int i = 0; i < count; i++) {
            scratch[i] = plan.demand.on(from + i);
        }
        int weekday = LocalDate.ofEpochDay(from).getDayOfWeek().getValue() - 1;
        return Forecaster.forecast(Forecaster.Method.AUTO, scratch, 0, count, weekday);
    }

    private void request(Tx tx, SkuPlan plan, StockLedger.Cause cause, long now, long qty, Map<String, Object> extra)
            throws SQLException {
        OrderPolicy.Plan p = plan.plan;
        long id = store.openRequest(tx, plan, qty, cause.msgId(), now);
        Map<String, Object> data = new LinkedHashMap<>(extra);
        if (cause.msgId() != null) {
            data.put("msgId", cause.msgId());
        }
        data.put("requestId", id);
        data.put("sku", plan.sku);
        data.put("onHand", plan.onHand);
        data.put("onOrder", plan.onOrder);
        data.put("orderQty", qty);
        data.put("packSize", plan.settings.packSize());
        data.put("reorderPoint", p.reorderPoint());
        data.put("orderUpTo", p.orderUpTo());
        data.put("forecastPerDay", round(plan.forecast.perDay()));
        data.put("sigmaPerDay", round(plan.forecast.sigma()));
        data.put("safetyStock", round(p.safetyStock()));
        data.put("basis", p.basis());
        data.put("method", plan.forecast.method());
        data.put("historyDays", plan.forecast.days());
        data.put("leadTime", Durations.format(plan.settings.leadTime()));
        data.put("reviewPeriod", Durations.format(plan.settings.reviewPeriod()));
        data.put("serviceLevel", plan.settings.serviceLevel());
        if (p.basis().equals("threshold")) {
            data.put("threshold", plan.threshold);
        }
        outbox.append(tx, EventTypes.REPLENISHMENT_REQUESTED, cause.subject(), data);
        Counter counter = Counter.builder("gateway_replenishment_requests")
                .description("replenishment requests by basis")
                .tag("basis", p.basis())
                .tag("by", extra.isEmpty() ? "planner" : "button")
                .register(metrics);
        tx.afterCommit(counter::increment);
        plan.onOrder += qty;
        plan.lastRequestMs = now;
    }

    private long day(long ms) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(ms), zone).toEpochDay();
    }

    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
