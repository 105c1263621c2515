package com.retailedge.gateway.buttons;

import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.notices.StaffNotices;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.Prune;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buttons capability: press effects (staff calls, reorders with their cancel window, battery reports), the
 * reorder timer, {@code /api/v1/buttons} routes and the {@code buttons} summary. Owns {@code button_press} and
 * {@code reorder}.
 */
public final class Buttons {
    private static final Logger LOG = LoggerFactory.getLogger(Buttons.class);

    private Buttons() {}

    /**
     * Builds the capability; at start it resumes the cancel windows kept in the store. Reorders are requested through
     * {@code requests} (replenishment), so the event carries the SKU's plan and the order counts as on order until it
     * is received; calls go to the PDAs through {@code notices}.
     */
    public static Capability create(
            GatewayConfig config,
            SqliteWriter writer,
            ReadPool reads,
            Outbox outbox,
            DeviceRegistry registry,
            StaffNotices notices,
            MeterRegistry metrics,
            ReorderRequests requests) {
        Reorders reorders = new Reorders(outbox);
        reorders.requestThrough(requests);
        ReorderTimer timer = new ReorderTimer(writer, reorders);
        ButtonsApi api = new ButtonsApi(writer, reorders);
        return Capability.named("buttons")
                .onAccepted(
                        Channel.PRESS,
                        new ButtonPresses(
                                outbox,
                                registry,
                                reorders,
                                timer,
                                notices,
                                config.buttonsDebounce(),
                                config.buttonsCancelWindow(),
                                config.buttons().maxPressAge(),
                                config.buttons().batteryLow(),
                                metrics))
                // History older than the retention goes; open reorders stay whatever their age.
                .prunes(Prune.rows("button_press", "id", "received_ms < :before"))
                .prunes(Prune.rows(
                        "reorder", "reorder_id", "state IN ('requested', 'cancelled') AND closed_ms < :before"))
                .routes(api)
                .summary(api)
                .startWith(() -> {
                    int resumed = reads.read(timer::resume);
                    if (resumed > 0) {
                        LOG.info("resumed the cancel window of {} held reorders", resumed);
                    }
                })
                .stopWith(timer)
                .build();
    }
}
