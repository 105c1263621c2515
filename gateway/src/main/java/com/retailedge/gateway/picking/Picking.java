package com.retailedge.gateway.picking;

import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.spi.DevicePublisher;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.stock.StockApi;
import com.retailedge.gateway.stock.StockCommand;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.stock.StockSummary;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.MeterRegistry;

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

    public Picking(
            GatewayConfig config, SqliteWriter writer, Outbox outbox, PickLights lights, DevicePublisher publisher) {
        this.config = config.picking();
        this.writer = writer;
        this.ledger = new StockLedger(outbox, this.config.replenishThreshold());
        this.book = new OrderBook();
        int tolerance = this.config.weightTolerancePercent();
        this.assigner =
                new Assigner(config.storeId(), book, lights, this.config.ordersPerPicker(), tolerance, publisher);
        OrderCompletion completion = new OrderCompletion(book, assigner, outbox);
        this.rules = new PickingRules(book, assigner, completion, ledger, outbox, lights, tolerance);
        this.lateOrders = new LateOrders(writer, outbox, this.config.lateCheck());
        this.cancel = new OrderCancel(writer, book, assigner, lights, outbox);
        this.presence = new PdaPresence(writer, assigner, this.config.pdaTimeout());
    }

    /**
     * What picking plugs in: the rules that judge PDA actions and the PDA presence that watches their connections
     * (unless picking is disabled), the {@code orders} and {@code stock} commands, the late-order timer,
     * {@code /api/v1/orders}, {@code /api/v1/stock}, the PDA routes and the {@code orders} and {@code stock} summary
     * sections. Counts gone PDAs in {@code metrics}.
     */
    public Capability capability(MeterRegistry metrics) {
        presence.register(metrics);
        Capability.Builder picking = Capability.named("picking");
        if (config.enabled()) {
            // every PDA message is a sign of life; gone PDAs give their orders back
            picking.judgesPdaActions(presence.watching(rules))
                    .watchesDeviceLinks(presence)
                    .startWith(presence::start);
        }
        return picking.handles("orders", new OrdersCommand(assigner))
                .handles("stock", new StockCommand(ledger))
                .startWith(lateOrders::start)
                .routes(new PickingApi())
                .routes(cancel)
                .routes(new PdaRoutes(writer, book, assigner, presence))
                .routes(new StockApi(writer, ledger, config.replenishThreshold()))
                .summary(new OrdersSummary())
                .summary(new StockSummary())
                .stopWith(this)
                .build();
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
