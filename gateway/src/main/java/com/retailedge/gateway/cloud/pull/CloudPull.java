package com.retailedge.gateway.cloud.pull;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The cloud's pull over MQTT: the {@code summary} and {@code resend} commands (a capability like any other), the
 * summary reports and the heartbeat. It starts after the HTTP API, which computes the summary it reports.
 */
public final class CloudPull implements AutoCloseable {
    private final SummaryReporter reporter;
    private final ResendCommand resend;
    private final Heartbeat heartbeat;
    private final ExecutorService rewinds = Executors.newSingleThreadExecutor(DaemonThreads.named("cloud-resend"));

    /** {@code forwarderRewind} is the forwarder's {@code resendFrom}: a {@code resend} command rewinds it. */
    public CloudPull(
            String storeId,
            SqliteWriter writer,
            Outbox outbox,
            ReadPool reads,
            String version,
            LongConsumer forwarderRewind) {
        this.reporter = new SummaryReporter(writer, outbox, reads);
        this.resend = new ResendCommand(outbox, rewinds, forwarderRewind);
        this.heartbeat = new Heartbeat(storeId, writer, outbox, version);
    }

    /** The {@code summary} and {@code resend} command handlers. */
    public Capability capability() {
        return Capability.named("cloud-pull")
                .handles("summary", new SummaryCommand(reporter::wake))
                .handles("resend", resend)
                .build();
    }

    /**
     * Starts answering summary requests (also those stored before a restart) and the heartbeat.
     *
     * @param summary the REST summary body for [from, to); called off the writer and off the event loop
     */
    public void start(
            Duration heartbeatPeriod,
            BooleanSupplier linkUp,
            BiFunction<Instant, Instant, Map<String, Object>> summary) {
        reporter.start(summary);
        heartbeat.start(heartbeatPeriod, linkUp, summary);
    }

    @Override
    public void close() throws InterruptedException {
        heartbeat.close();
        reporter.close();
        rewinds.shutdown();
        rewinds.awaitTermination(5, TimeUnit.SECONDS);
    }
}
