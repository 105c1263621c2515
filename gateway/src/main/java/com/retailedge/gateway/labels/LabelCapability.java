package com.retailedge.gateway.labels;

import com.retailedge.gateway.config.DeviceEntry;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.labels.push.ApEndpoints;
import com.retailedge.gateway.labels.push.ApPskFile;
import com.retailedge.gateway.labels.push.LabelPusher;
import com.retailedge.gateway.labels.push.PushJob;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.spi.SummarySection;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Electronic shelf labels, wired: the state machine, the pusher and its CoAP endpoint, the scheduler, the
 * command followers, the status-report hook, REST routes, the summary section and pick-to-light. Start it after
 * the writer and before device input and the cloud link; at start it binds the config file's labels that name
 * {@code sku} and {@code ap} and resumes every pending push from SQLite.
 */
public final class LabelCapability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabelCapability.class);

    private final LabelBook book;
    private final ApEndpoints endpoints;
    private final LabelPusher pusher;
    private final PushResults results;
    private final LabelScheduler scheduler;
    private final LabelQueries queries;
    private final LocalPrices prices;
    private final SqliteWriter writer;
    private final ReadPool reads;

    private LabelCapability(
            GatewayConfig.Labels config,
            SqliteWriter writer,
            ReadPool reads,
            Outbox outbox,
            DeviceRegistry registry,
            MeterRegistry metrics)
            throws java.io.IOException {
        // The book hands pushes to the pusher, whose outcomes go back to the book: the pusher is set right after.
        LabelPusher[] late = new LabelPusher[1];
        this.book = new LabelBook(outbox, job -> late[0].offer(job));
        // coaps:// access points: the gateway's PSK per access point; the file is checked (mode 0600) at start.
        this.endpoints =
                new ApEndpoints(config.ackTimeout(), config.coapRetransmits(), ApPskFile.load(config.apPskFile()));
        this.results = new PushResults(writer, book);
        this.pusher = new LabelPusher(
                endpoints,
                ap -> apUrl(registry, ap),
                results,
                config.maxInFlight(),
                config.pushAttempts(),
                config.retryMax(),
                ApEndpoints.maxTransmitWait(config.ackTimeout(), config.coapRetransmits()),
                metrics);
        late[0] = pusher;
        // A label past labels.deadline (or failed otherwise) frees its lane's slot at once.
        book.onGiveUp(pusher::giveUp);
        this.scheduler = new LabelScheduler(writer, reads, book, config.deadline());
        this.queries = new LabelQueries(config.batteryLow(), config.notSeen().toMillis());
        this.prices = new LocalPrices(writer, book);
        this.writer = writer;
        this.reads = reads;
    }

    /** Builds the label parts; nothing runs until the capability starts. */
    public static LabelCapability create(
            GatewayConfig config,
            SqliteWriter writer,
            Outbox outbox,
            DeviceRegistry registry,
            ReadPool reads,
            MeterRegistry metrics)
            throws java.io.IOException {
        return new LabelCapability(config.labels(), writer, reads, outbox, registry, metrics);
    }

    /**
     * What labels plug in: re-rendering after {@code prices} and {@code bindings}, label status reports, the routes
     * and the {@code labels} summary. At start it binds the config file's labels that name {@code sku} and
     * {@code ap}, resumes every pending push and starts the deadline scheduler.
     */
    public Capability capability(List<DeviceEntry> devices) {
        LabelCommands followers = new LabelCommands(book);
        return Capability.named("labels")
                .follows("prices", followers.prices())
                .follows("bindings", followers.bindings())
                .takesLabelReports(book)
                .routes(new LabelRoutes(queries, prices, writer, book))
                .summary(summary())
                .startWith(() -> bindConfigured(devices))
                .startWith(() -> {
                    List<PushJob> pending = reads.read(LabelBook::pendingPushes);
                    pending.forEach(pusher::offer);
                    LOG.info("labels: {} pending pushes resumed", pending.size());
                })
                .startWith(scheduler::start)
                .stopWith(this)
                .build();
    }

    private void bindConfigured(List<DeviceEntry> devices) throws Exception {
        writer.submit(tx -> {
                    long now = System.currentTimeMillis();
                    for (DeviceEntry entry : devices) {
                        String sku = entry.attributes().get("sku");
                        String ap = entry.attributes().get("ap");
                        if (entry.kind() != DeviceKind.LABEL || sku == null || ap == null) {
                            continue;
                        }
                        for (int n = 1; n <= Math.max(1, entry.count()); n++) {
                            String id = entry.count() == 0
                                    ? entry.deviceId()
                                    : entry.deviceId().replace("{n}", Integer.toString(n));
                            book.bind(tx, id, sku, ap, now);
                        }
                    }
                    return null;
                })
                .get();
    }

    private static Optional<String> apUrl(DeviceRegistry registry, String apId) {
        return registry.find(apId)
                .filter(r -> r.kind() == DeviceKind.AP)
                .map(r -> r.attributes().get("url"))
                .map(Object::toString);
    }

    private SummarySection summary() {
        return new SummarySection() {
            @Override
            public String name() {
                return "labels";
            }

            @Override
            public Object compute(Connection c, long fromMs, long toMs) throws java.sql.SQLException {
                return queries.summary(c);
            }
        };
    }

    /** Pick-to-light for the picking capability. */
    public PickLights pickLights() {
        return new LabelPickLights(book);
    }

    @Override
    public void close() {
        scheduler.close();
        pusher.close();
        endpoints.close();
        results.close();
    }
}
