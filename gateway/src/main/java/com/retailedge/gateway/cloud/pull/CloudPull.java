package com.retailedge.gateway.cloud.pull;

import com.retailedge.gateway.cloud.CommandIntake;
import com.retailedge.gateway.outbox.Outbox;
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
 * The cloud's pull over MQTT, wired in three steps because its parts come up at different times: the command
 * handlers register with the intake first, the forwarder's rewind is known once the forwarder is built, and
 * the summary once the API that computes it is.
 */
public final class CloudPull implements AutoCloseable {
    private final SummaryReporter reporter;
    private final ResendCommand resend;
    private final Heartbeat heartbeat;
    private final ExecutorService rewinds = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cloud-resend");
        t.setDaemon(true);
        return t;
    });

    private CloudPull(String storeId, SqliteWriter writer, Outbox outbox, ReadPool reads, String version) {
        this.reporter = new SummaryReporter(writer, outbox, reads);
        this.resend = new ResendCommand(outbox, rewinds);
        this.heartbeat = new Heartbeat(storeId, writer, outbox, version);
    }

    /** Registers the {@code summary} and {@code resend} handlers; call before the cloud link starts. */
    public static CloudPull register(String storeId, CommandIntake commands, SqliteWriter writer, Outbox outbox,
                                     ReadPool reads, String version) {
        CloudPull pull = new CloudPull(storeId, writer, outbox, reads, version);
        commands.handle("summary", new SummaryCommand(pull.reporter::wake));
        commands.handle("resend", pull.resend);
        return pull;
    }

    /** The forwarder's {@code resendFrom}; call before the forwarder starts. */
    public CloudPull resendThrough(LongConsumer forwarderRewind) {
        resend.rewindWith(forwarderRewind);
        return this;
    }

    /**
     * Starts answering summary requests (also those stored before a restart) and the heartbeat.
     *
     * @param summary the REST summary body for [from, to); called off the writer and off the event loop
     */
    public void start(Duration heartbeatPeriod, BooleanSupplier linkUp,
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
