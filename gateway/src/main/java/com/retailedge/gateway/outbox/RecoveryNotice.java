package com.retailedge.gateway.outbox;

import com.retailedge.gateway.store.RecoveryReport;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/** Tells the cloud and the metrics that this start recovered a damaged database (the log has said so already). */
public final class RecoveryNotice {
    private RecoveryNotice() {}

    /**
     * Registers {@code gateway_store_recovered} (1 when this start recovered) and {@code gateway_store_recovered_rows},
     * and stores a {@code retail.gateway.recovered} event, durable before the gateway takes device input.
     */
    public static void announce(
            Optional<RecoveryReport> report, SqliteWriter writer, Outbox outbox, String storeId, MeterRegistry metrics)
            throws Exception {
        int recovered = report.isPresent() ? 1 : 0;
        long rows = report.map(RecoveryReport::totalRowsCopied).orElse(0L);
        // Supplier gauges hold their value strongly; a boxed number given to MeterRegistry.gauge would be collected.
        Gauge.builder("gateway_store_recovered", () -> recovered)
                .description("1 when this start found the database damaged and recovered it")
                .register(metrics);
        Gauge.builder("gateway_store_recovered_rows", () -> rows)
                .description("rows copied out of the damaged database at this start")
                .register(metrics);
        if (report.isPresent()) {
            writer.submit(tx -> outbox.append(
                            tx,
                            EventTypes.GATEWAY_RECOVERED,
                            storeId,
                            report.get().asMap()))
                    .get();
        }
    }
}
