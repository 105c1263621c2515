package com.retailedge.gateway.replenishment;

import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.DashboardPanel;
import com.retailedge.gateway.spi.SummarySection;
import com.retailedge.gateway.cloud.CommandIntake;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.sales.SaleRecorder;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.Housekeeping;
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

    private Replenishment(DailyRefresh daily, ReplenishmentPlanner planner) {
        this.daily = daily;
        this.planner = planner;
    }

    /** A request a person made (a dash button's reorder), as the planner's own; writer thread. */
    public void requestByHand(Tx tx, String sku, long qty, String subject, Map<String, Object> extra)
            throws SQLException {
        planner.requestByHand(tx, sku, qty, subject, extra);
    }

    /** Registers everything before devices or the cloud can send; {@code zone} says what a store day is. */
    public static Replenishment start(String storeId, ZoneId zone, int defaultThreshold, SqliteWriter writer,
                                      Outbox outbox, StockLedger ledger, DeviceIngest ingest, CommandIntake commands,
                                      DeadLetters deadLetters, Housekeeping housekeeping, MeterRegistry metrics) {
        ReplenishmentPlanner planner = new ReplenishmentPlanner(outbox, zone, defaultThreshold, System::currentTimeMillis,
                metrics);
        ledger.watchWith(planner);
        ingest.onAccepted(Channel.SALE, new SaleRecorder(storeId, outbox, ledger, deadLetters));
        commands.handle("replenishment", new ReplenishmentCommand(planner));
        housekeeping.alsoPrune("DELETE FROM replenishment_request WHERE request_id IN (SELECT request_id FROM "
                + "replenishment_request WHERE state = 'closed' AND closed_ms < ? LIMIT ?)");
        DailyRefresh daily = new DailyRefresh(writer, planner, zone);
        daily.start();
        return new Replenishment(daily, planner);
    }

    public ApiRoutes routes() {
        return new ReplenishmentApi();
    }

    /** The dashboard's list of SKUs at or near their reorder point. */
    public DashboardPanel dashboardPanel() {
        return new ReplenishmentPanel();
    }

    /** {@code replenishment} in {@code GET /api/v1/summary}. */
    public SummarySection summary() {
        return new ReplenishmentSummary();
    }

    @Override
    public void close() {
        daily.close();
    }
}
