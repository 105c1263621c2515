package com.retailedge.gateway.replenishment;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.sales.SaleRecorder;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.Prune;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Map;

/**
 * Wires replenishment: checkout lanes' sales into the stock ledger, the planner watching the ledger (the one
 * source of stock-level requests), the {@code replenishment} command, the daily planning, and
 * {@code /api/v1/replenishment}.
 */
public final class Replenishment implements AutoCloseable {
    private final DailyRefresh daily;
    private final ReplenishmentPlanner planner;
    private final SaleRecorder sales;

    private Replenishment(DailyRefresh daily, ReplenishmentPlanner planner, SaleRecorder sales) {
        this.daily = daily;
        this.planner = planner;
        this.sales = sales;
    }

    /** A request a person made (a dash button's reorder), as the planner's own; writer thread. */
    public void requestByHand(Tx tx, String sku, long qty, String subject, Map<String, Object> extra)
            throws SQLException {
        planner.requestByHand(tx, sku, qty, subject, extra);
    }

    /** Builds the planner and hooks it to {@code ledger}; {@code zone} says what a store day is. */
    public static Replenishment create(
            String storeId,
            ZoneId zone,
            int defaultThreshold,
            SqliteWriter writer,
            Outbox outbox,
            StockLedger ledger,
            DeadLetters deadLetters,
            MeterRegistry metrics) {
        ReplenishmentPlanner planner =
                new ReplenishmentPlanner(outbox, zone, defaultThreshold, System::currentTimeMillis, metrics);
        ledger.watchWith(planner);
        return new Replenishment(
                new DailyRefresh(writer, planner, zone),
                planner,
                new SaleRecorder(storeId, outbox, ledger, deadLetters));
    }

    /**
     * What replenishment plugs in: checkout lanes' sales, the {@code replenishment} command, the daily planning,
     * {@code /api/v1/replenishment}, its dashboard panel and summary section; closed requests older than the
     * retention are deleted.
     */
    public Capability capability() {
        return Capability.named("replenishment")
                .onAccepted(Channel.SALE, sales)
                .handles("replenishment", new ReplenishmentCommand(planner))
                .prunes(Prune.rows("replenishment_request", "request_id", "state = 'closed' AND closed_ms < :before"))
                .routes(new ReplenishmentApi())
                .panel(new ReplenishmentPanel())
                .summary(new ReplenishmentSummary())
                .startWith(daily::start)
                .stopWith(this)
                .build();
    }

    @Override
    public void close() {
        daily.close();
    }
}
