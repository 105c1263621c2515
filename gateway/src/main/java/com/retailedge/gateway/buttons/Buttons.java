package com.retailedge.gateway.buttons;

import com.retailedge.gateway.notices.StaffNotices;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.SummarySection;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.Housekeeping;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the buttons capability: press effects, PDA acks and idle re-sends, the reorder timer, routes, summary. */
public final class Buttons implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Buttons.class);

    private final ReorderTimer timer;
    private final ButtonsApi api;

    private Buttons(ReorderTimer timer, ButtonsApi api) {
        this.timer = timer;
        this.api = api;
    }


    /**
     * Registers the effects on {@code ingest} and resumes the cancel windows kept in the store. Reorders are
     * requested through {@code requests} (replenishment), so the event carries the SKU's plan and the order
     * counts as on order until it is received.
     */
    public static Buttons start(GatewayConfig config, SqliteWriter writer, ReadPool reads, Outbox outbox,
                                DeviceRegistry registry, DeviceIngest ingest, StaffNotices notices, Housekeeping housekeeping,
                                MeterRegistry metrics, ReorderRequests requests) throws SQLException {
        Reorders reorders = new Reorders(outbox);
        reorders.requestThrough(requests);
        ReorderTimer timer = new ReorderTimer(writer, reorders);
        ingest.onAccepted(Channel.PRESS, new ButtonPresses(outbox, registry, reorders, timer, notices,
                config.buttonsDebounce(), config.buttonsCancelWindow(), config.buttons().maxPressAge(),
                config.buttons().batteryLow(), metrics));
        ingest.onAccepted(Channel.PDA_ACK, (tx, m) -> notices.acknowledged(tx, (DeviceMessage.PdaAck) m));
        ingest.onAccepted(Channel.PDA_STATUS, (tx, m) -> notices.pdaReported(tx, (DeviceMessage.PdaStatus) m));
        // History older than the retention goes; open reorders and open notices stay whatever their age.
        housekeeping.alsoPrune("DELETE FROM button_press WHERE id IN (SELECT id FROM button_press "
                + "WHERE received_ms < ? LIMIT ?)");
        housekeeping.alsoPrune("DELETE FROM reorder WHERE reorder_id IN (SELECT reorder_id FROM reorder "
                + "WHERE state IN ('requested', 'cancelled') AND closed_ms < ? LIMIT ?)");
        housekeeping.alsoPrune("DELETE FROM notice WHERE notice_id IN (SELECT notice_id FROM notice "
                + "WHERE (state = 'acked' AND acked_ms < ?1) OR expires_ms < ?1 LIMIT ?2)");
        int resumed = reads.read(timer::resume);
        if (resumed > 0) {
            LOG.info("resumed the cancel window of {} held reorders", resumed);
        }
        return new Buttons(timer, new ButtonsApi(writer, reorders));
    }

    public ApiRoutes routes() {
        return api;
    }

    public SummarySection summary() {
        return api;
    }

    @Override
    public void close() {
        timer.close();
    }
}
