package com.retailedge.gateway.app;

import com.retailedge.gateway.api.EventResend;
import com.retailedge.gateway.api.HttpApi;
import com.retailedge.gateway.api.SummaryUpkeep;
import com.retailedge.gateway.buttons.Buttons;
import com.retailedge.gateway.cloud.CloudForwarder;
import com.retailedge.gateway.cloud.CommandIntake;
import com.retailedge.gateway.cloud.CommandLink;
import com.retailedge.gateway.cloud.pull.CloudPull;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.device.coap.CoapDeviceServer;
import com.retailedge.gateway.device.mqtt.DeviceMqttClient;
import com.retailedge.gateway.device.mqtt.DurableAckGate;
import com.retailedge.gateway.device.mqtt.EmbeddedBroker;
import com.retailedge.gateway.device.mqtt.GateAuth;
import com.retailedge.gateway.device.mqtt.GateRouting;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.ingest.InFlightBudget;
import com.retailedge.gateway.labels.LabelCapability;
import com.retailedge.gateway.members.Members;
import com.retailedge.gateway.notices.StaffNotices;
import com.retailedge.gateway.ops.CloudLinkState;
import com.retailedge.gateway.ops.GatewayStatus;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.outbox.RecoveryNotice;
import com.retailedge.gateway.picking.Picking;
import com.retailedge.gateway.replenishment.Replenishment;
import com.retailedge.gateway.security.DeviceAccess;
import com.retailedge.gateway.security.DeviceCredentials;
import com.retailedge.gateway.security.PskKeys;
import com.retailedge.gateway.security.StartupChecks;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.spi.DeviceLinks;
import com.retailedge.gateway.store.CleanStop;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DatabaseCheck;
import com.retailedge.gateway.store.DatabaseRecovery;
import com.retailedge.gateway.store.DeadLetterRetention;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.Housekeeping;
import com.retailedge.gateway.store.Prune;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.RecoveryReport;
import com.retailedge.gateway.store.SqliteNativeLibrary;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.WalCheckpointer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.BindException;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the parts, starts them so that nothing accepts device input before the store
 * can take it, and stops them in reverse.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** Capabilities added from outside before start (a test's extra summary section, say). */
    private final List<Capability> extras = new ArrayList<>();

    private GatewayStatus status;
    private int mqttPort;
    private int coapPort;
    private int coapDtlsPort;
    private int httpPort;
    private HttpApi api;
    private CommandIntake commands;
    /** A failed start closes, and then the shutdown hook closes again. */
    private boolean closed;
    /** The check of the database beside the running gateway, after a clean stop; null when it was checked at start. */
    private volatile DatabaseCheck databaseCheck;
    /** Set when that check found damage: no clean-stop note then, so the next start recovers. */
    private volatile boolean damaged;
    /** What stops the whole process when the database turns out damaged; GatewayMain exits, so the service restarts. */
    private Runnable onDamage = this::close;

    public Gateway(GatewayConfig config) {
        this.config = config;
    }

    /** What to do after damage found beside the running gateway: by default it closes (GatewayMain exits). */
    public Gateway onDamage(Runnable action) {
        this.onDamage = action;
        return this;
    }

    private void damaged(List<String> problems) {
        damaged = true;
        LOG.error("store {}: the database is damaged ({}); the next start recovers it", config.storeId(), problems);
        onDamage.run();
    }

    /**
     * Leaves the clean-stop note when the writer stopped, the database was checked in this run (at start, or beside
     * it to the end) and found sound, and the outbox agrees with the database; otherwise leaves none.
     */
    private void noteCleanStop(Database database, SqliteWriter writer, Outbox outbox, boolean checkedAtStart) {
        boolean checked = checkedAtStart || (databaseCheck != null && databaseCheck.passed());
        if (damaged || !checked || writer.alive()) {
            return;
        }
        try (Connection c = database.openReadConnection()) {
            Map<String, Long> record = outbox.stopRecord(c);
            if (!record.isEmpty()) {
                CleanStop.write(config.dataDir(), record);
            }
        } catch (Exception e) {
            LOG.warn("no clean-stop note: {}", e.getMessage());
        }
    }

    /** Adds a capability built outside the gateway, after the built-in ones; call before {@link #start()}. */
    public Gateway with(Capability extra) {
        extras.add(extra);
        return this;
    }

    /**
     * Starts every part in order. When one fails (a port taken, a store that cannot open), what already started is
     * stopped again before the failure is thrown, so no writer, timer or event loop outlives a gateway that never ran.
     */
    public void start() throws Exception {
        try {
            startParts();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void startParts() throws Exception {
        StartSteps steps = new StartSteps();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        steps.done("metrics");
        List<String> warnings = StartupChecks.run(config);
        steps.done("checks");
        SqliteNativeLibrary.useCopyIn(config.dataDir());
        // After a clean stop the whole-file check runs beside the started gateway (DatabaseCheck); after anything
        // else (a crash, kill -9, a power cut, a first start) before the store opens, as always.
        Optional<Map<String, Long>> cleanStop = CleanStop.take(config.dataDir());
        Optional<RecoveryReport> recovery =
                cleanStop.isPresent() ? Optional.empty() : DatabaseRecovery.checkAndRecover(config.dataDir());
        steps.done(cleanStop.isPresent() ? "database check deferred" : "database check");
        Database database = Database.open(config.dataDir());
        steps.done("database open");
        LOG.info("store {}: database {}", config.storeId(), database.file().toAbsolutePath());
        Outbox outbox;
        DeviceRegistry registry;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(
                    c,
                    config.storeId(),
                    config.outbox().maxEvents(),
                    config.outbox().maxBytes(),
                    cleanStop.orElse(Map.of()));
            registry = DeviceRegistry.load(c);
        }
        steps.done("outbox and registry");
        SqliteWriter writer = new SqliteWriter(
                database,
                config.store().writerBatch(),
                config.store().writerQueue(),
                config.store().commitWindow(),
                metrics);
        // Closed after the writer: the note for the next start, when this run's database was checked and is settled.
        started.push(() -> noteCleanStop(database, writer, outbox, cleanStop.isEmpty()));
        writer.start();
        started.push(writer);
        WalCheckpointer checkpointer = new WalCheckpointer(database, writer);
        checkpointer.start();
        started.push(checkpointer);
        writer.submit(tx -> {
                    registry.registerConfigured(tx, config.devices());
                    return null;
                })
                .get();
        RecoveryNotice.announce(recovery, writer, outbox, config.storeId(), metrics);
        steps.done("writer");

        // Dead letters never keep a raw member reference.
        DeadLetters deadLetters = new DeadLetters(metrics, Members.deadLetterFilter());
        DeadLetterRetention deadLetterRetention = new DeadLetterRetention(
                writer,
                deadLetters,
                config.deadLetters().maxBytes(),
                config.deadLetters().retention(),
                metrics);
        try (Connection c = database.openReadConnection()) {
            deadLetterRetention.start(c);
        }
        started.push(deadLetterRetention);
        ReadPool reads = new ReadPool(database, 3);
        started.push(reads);
        DeviceOutput devices = new DeviceOutput();
        FunctionCounter.builder("gateway_device_messages_unsent", devices, DeviceOutput::unsent)
                .description("messages for devices made before the in-store broker was up")
                .register(metrics);
        FunctionCounter.builder("gateway_device_messages_dropped", devices, DeviceOutput::dropped)
                .description("messages for devices refused by the full queue to the in-store broker, or by the broker")
                .register(metrics);
        Gauge.builder("gateway_device_messages_waiting", devices, DeviceOutput::waiting)
                .description("messages for devices waiting for the in-flight window to the in-store broker")
                .register(metrics);
        CloudForwarder forwarder =
                new CloudForwarder(config.cloud(), config.storeId(), database, writer, outbox, metrics);
        CloudPull pull =
                new CloudPull(config.storeId(), writer, outbox, reads, GatewayVersion.text(), forwarder::resendFrom);
        started.push(pull);

        // Every feature, built before anything can call it, and handed as a whole to the parts it plugs into.
        Capabilities capabilities =
                capabilities(metrics, writer, outbox, registry, reads, deadLetters, devices, forwarder, pull);
        steps.done("capabilities");
        DeviceIngest ingest = new DeviceIngest(
                writer,
                outbox,
                registry,
                deadLetters,
                capabilities,
                devices,
                config.mqtt().replyQueue(),
                new InFlightBudget(config.store().maxInFlight(), config.store().maxInFlightBytes(), metrics),
                metrics);
        started.push(ingest);
        commands = new CommandIntake(config.storeId(), writer, outbox, deadLetters, registry, capabilities);
        List<Prune> prunes = new ArrayList<>(List.of(outbox.expiredEvents(), DeviceIngest.expiredMessageIds()));
        prunes.addAll(capabilities.prunes());
        Housekeeping housekeeping = new Housekeeping(writer, config.outbox().retention(), prunes);
        housekeeping.start();
        started.push(housekeeping);
        for (Capability capability : capabilities.all()) {
            capability.start();
            started.push(capability);
        }
        steps.done("capabilities started");

        DeviceAccess access = new DeviceAccess(config.storeId(), registry);
        startDeviceMqtt(ingest, access, capabilities.deviceLinks(), devices, metrics, steps);
        PskKeys pskKeys = config.coap().dtls() ? PskKeys.load(config.coap().pskFile()) : null;
        CoapDeviceServer coap = new CoapDeviceServer(config.coap(), pskKeys, ingest, registry, access);
        started.push(coap);
        if (config.coap().plain()) {
            PortCheck.requireUdp(
                    "CoAP", "coap.port", config.coap().bind(), config.coap().port());
        }
        if (config.coap().dtls()) {
            PortCheck.requireUdp(
                    "CoAP over DTLS",
                    "coap.dtls-port",
                    config.coap().bind(),
                    config.coap().dtlsPort());
        }
        coapPort = bind(
                "CoAP",
                config.coap().dtls() ? "coap.port or coap.dtls-port" : "coap.port",
                config.coap().port(),
                coap::start);
        coapDtlsPort = coap.dtlsPort();
        FunctionCounter.builder("gateway_coap_datagrams_shed", coap, CoapDeviceServer::datagramsShed)
                .description("CoAP datagrams dropped unread while too many requests waited")
                .register(metrics);
        LOG.info(
                "CoAP server on UDP port {} (plain; -1: off), DTLS port {} (-1: no coap.psk-file)",
                coapPort,
                coapDtlsPort);
        steps.done("coap");

        forwarder.start();
        started.push(forwarder);
        // Commands ride a persistent session of their own: kept by the broker while the gateway is away.
        CommandLink commandLink = new CommandLink(config.cloud(), config.storeId(), commands, metrics);
        commandLink.start();
        started.push(commandLink);
        steps.done("cloud links");

        // Health reads on a connection of its own: a monitor must get its answer while slow API queries hold the pool.
        ReadPool statusReads = new ReadPool(database, 1);
        started.push(statusReads);
        status = new GatewayStatus(outbox, forwarder, writer, registry, statusReads, metrics);
        recovery.ifPresent(r -> status.recovered(r.asMap()));
        status.warnings(warnings);
        status.withCommandLink(commandLink);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4));
        started.push(
                () -> vertx.close().toCompletionStage().toCompletableFuture().join());
        // Summary rollups and device presence are kept off the device path.
        SummaryUpkeep upkeep =
                SummaryUpkeep.start(database, writer, outbox, config.api().onlineWindow(), metrics);
        started.push(upkeep);
        steps.done("status and upkeep");
        api = new HttpApi(vertx, config, reads, status, registry, upkeep, capabilities, metrics);
        pull.start(config.cloud().heartbeat(), () -> forwarder.state() == CloudLinkState.CONNECTED, api::summary);
        started.push(api);
        httpPort = bind("HTTP", "http.port", config.http().port(), api::start);
        status.markReady();
        steps.done("http");
        if (cleanStop.isPresent()) {
            databaseCheck = DatabaseCheck.start(database.file(), this::damaged);
            started.push(databaseCheck);
        }
        LOG.info(steps.summary());
        LOG.info(
                "gateway for store {} is up: MQTT {}, CoAP {}, HTTP {}, cloud {}",
                config.storeId(),
                mqttPort,
                coapPort,
                httpPort,
                config.cloud().url());
    }

    /**
     * The features, in the order their routes, summary sections and effects are taken. Adding one is a line here
     * and a package of its own.
     */
    private Capabilities capabilities(
            PrometheusMeterRegistry metrics,
            SqliteWriter writer,
            Outbox outbox,
            DeviceRegistry registry,
            ReadPool reads,
            DeadLetters deadLetters,
            DeviceOutput devices,
            CloudForwarder forwarder,
            CloudPull pull)
            throws Exception {
        LabelCapability labels = LabelCapability.create(config, writer, outbox, registry, reads, metrics);
        // Pick-to-light: picking flashes the labels of an order's SKUs through the label capability.
        Picking picking = new Picking(config, writer, outbox, labels.pickLights(), devices);
        // Checkout lanes' sales and the planner that watches the ledger; store days in store.timezone.
        Replenishment replenishment = Replenishment.create(
                config.storeId(),
                config.storeZone(),
                config.picking().replenishThreshold(),
                writer,
                outbox,
                picking.ledger(),
                deadLetters,
                metrics);
        StaffNotices notices = new StaffNotices(config.storeId(), registry, devices);
        List<Capability> all = new ArrayList<>(List.of(
                Capability.named("events")
                        .routes(new EventResend(forwarder::resendFrom, outbox, reads))
                        .build(),
                pull.capability(),
                notices.capability(),
                Buttons.create(config, writer, reads, outbox, registry, notices, metrics, replenishment::requestByHand),
                Members.create(config, writer, outbox, notices, metrics),
                labels.capability(config.devices()),
                picking.capability(metrics),
                replenishment.capability()));
        all.addAll(extras);
        return new Capabilities(all);
    }

    private void startDeviceMqtt(
            DeviceIngest ingest,
            DeviceAccess access,
            DeviceLinks links,
            DeviceOutput devices,
            PrometheusMeterRegistry metrics,
            StartSteps steps)
            throws Exception {
        if (config.mqtt().embedded()) {
            EmbeddedBroker broker = new EmbeddedBroker();
            broker.start(config.dataDir());
            started.push(broker);
            // bound before the gate takes its first device: a reply may be due at once
            devices.connect(broker.output(config.storeId()));
            steps.done("broker");
            GateAuth auth = null;
            if (config.mqtt().authRequired()) {
                DeviceCredentials credentials =
                        DeviceCredentials.load(config.mqtt().credentialsFile());
                auth = new GateAuth(credentials, access, ingest, config.mqtt().authQueue(), metrics);
                started.push(auth);
                LOG.info("device MQTT authentication required: {}", credentials);
            } else {
                LOG.warn("mqtt.auth is off: any device may connect to the MQTT port and publish on any topic");
            }
            GateRouting routing = new GateRouting(config.storeId(), ingest, links);
            DurableAckGate gate =
                    new DurableAckGate(routing, broker.login(), config.mqtt().maxPending(), metrics, auth);
            started.push(gate);
            mqttPort = bind(
                    "MQTT",
                    "mqtt.port",
                    config.mqtt().port(),
                    () -> gate.start(config.mqtt().bind(), config.mqtt().port()));
            steps.done("gate");
            return;
        }
        if (config.mqtt().authRequired()) {
            LOG.warn("mqtt.auth applies to the embedded broker; the external broker authenticates devices itself "
                    + "(deploy/mosquitto/instore-secure.conf)");
        }
        DeviceMqttClient client =
                DeviceMqttClient.ingester(config.storeId(), config.mqtt().url(), ingest);
        FunctionCounter.builder("gateway_mqtt_refused_retries", client, DeviceMqttClient::retried)
                .description("device messages from the external broker the store refused, offered to it again")
                .register(metrics);
        mqttPort = -1;
        client.start();
        started.push(client);
        devices.connect(client.output());
        steps.done("mqtt client");
    }

    /** Binds a port, turning "address already in use" into a message that names the port and its key. */
    private static int bind(String what, String key, int port, Callable<Integer> binder) throws Exception {
        try {
            return binder.call();
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String message = String.valueOf(root.getMessage());
            if (root instanceof BindException
                    || message.contains("Address already in use")
                    || message.contains("server endpoints could be started")) {
                throw new IOException(
                        what + " port " + port + " is already in use (set " + key + " to another port)", e);
            }
            throw e;
        }
    }

    public int mqttPort() {
        return mqttPort;
    }

    public int coapPort() {
        return coapPort;
    }

    /** The CoAP over DTLS port, or -1 when no PSK file is configured. */
    public int coapDtlsPort() {
        return coapDtlsPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The HTTP routes served, as {@code "GET /path"}; the OpenAPI test holds the document to them. */
    public java.util.List<String> httpRoutes() {
        return api == null ? java.util.List.of() : api.routes();
    }

    /** The cloud command kinds this gateway handles (once started); docs/protocol.md is held to them. */
    public java.util.SortedSet<String> commandKinds() {
        return commands == null ? new java.util.TreeSet<>() : commands.kinds();
    }

    /** True once this run's database was checked whole and found sound: at start, or by the check beside it. */
    public boolean databaseChecked() {
        DatabaseCheck check = databaseCheck;
        return check == null ? status != null : check.passed();
    }

    /** True once {@link #close} ran (from outside, or by the gateway itself on a damaged database). */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Stops in reverse order of start: inputs first, the store last, so nothing acknowledged is cut off. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (status != null) {
            status.markStopping();
        }
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
        LOG.info("gateway stopped");
    }
}
