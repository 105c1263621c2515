package com.retailedge.gateway.picking;

import com.retailedge.gateway.api.HttpApi;
import com.retailedge.gateway.cloud.CommandIntake;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.spi.DevicePublisher;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.spi.DeviceLinks;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.stock.StockApi;
import com.retailedge.gateway.stock.StockCommand;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.stock.StockSummary;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * Order picking and the stock ledger, put together: the {@code orders} and {@code stock} cloud commands,
 * the picking rules for PDA scans, shorts, substitutions and status, the late-order timer, and the REST
 * routes and summary sections.
 */
public final class Picking implements AutoCloseable {
    private final GatewayConfig.Picking config;
    private final SqliteWriter writer;
    private final StockLedger ledger;
    private final Assigner assigner;
    private final OrderBook book;
    private final PickingRules rules;
    private final LateOrders lateOrders;
    private final OrderCancel cancel;
    private final PdaPresence presence;

    public Picking(GatewayConfig config, SqliteWriter writer, Outbox outbox, PickLights lights,
                   Supplier<DevicePublisher> publisher) {
        this.config = config.picking();
        this.writer = writer;
        this.ledger = new StockLedger(outbox, this.config.replenishThreshold());
        this.book = new OrderBook();
        int tolerance = this.config.weightTolerancePercent();
        this.assigner = new Assigner(config.storeId(), book, lights, this.config.ordersPerPicker(), tolerance, publisher);
        OrderCompletion completion = new OrderCompletion(book, assigner, outbox);
        this.rules = new PickingRules(book, assigner, completion, ledger, outbox, lights, tolerance);
        this.lateOrders = new LateOrders(writer, outbox, this.config.lateCheck());
        this.cancel = new OrderCancel(writer, book, assigner, lights, outbox);
        this.presence = new PdaPresence(writer, assigner, this.config.pdaTimeout());
    }

    /** Takes the PDAs' actions (unless picking is disabled) and the cloud's orders and stock; starts the timer. */
    public void wire(DeviceIngest ingest, CommandIntake commands) {
        if (config.enabled()) {
            // every PDA message is a sign of life; gone PDAs give their orders back
            ingest.judgePdaActionsWith(presence.watching(rules));
            presence.start();
        }
        commands.handle("orders", new OrdersCommand(assigner));
        commands.handle("stock", new StockCommand(ledger));
        lateOrders.start();
    }

    /**
     * Where the embedded broker's gate reports PDA connections, so a PDA whose connection closes is gone within
     * moments; counts gone PDAs in {@code metrics}.
     */
    public DeviceLinks pdaLinks(MeterRegistry metrics) {
        presence.register(metrics);
        return config.enabled() ? presence : DeviceLinks.NONE;
    }

    /** Adds {@code /api/v1/orders}, {@code /api/v1/stock} and the orders and stock summary sections. */
    public void wire(HttpApi api) {
        api.withRoutes(new PickingApi())
                .withRoutes(cancel)
                .withRoutes(new PdaRoutes(writer, book, assigner, presence))
                .withRoutes(new StockApi(writer, ledger, config.replenishThreshold()))
                .withSummary(new OrdersSummary())
                .withSummary(new StockSummary());
    }

    /** The stock ledger picks book into; replenishment watches it. */
    public StockLedger ledger() {
        return ledger;
    }

    @Override
    public void close() {
        presence.close();
        lateOrders.close();
    }
}
