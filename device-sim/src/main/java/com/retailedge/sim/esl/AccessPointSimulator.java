package com.retailedge.sim.esl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;

/**
 * A simulated ESL access point (CONTRACT §2): a Californium CoAP server hosting many labels under
 * {@code /labels/{labelId}}. A PUT with a known label's content is answered 2.04 and queued; the label takes it at
 * its next radio check-in and the access point then POSTs {@code {"msgId","version","battery"}} to the gateway's
 * {@code /esl/{labelId}/status}, confirmable, from the same lossy endpoint (with {@code dtls}: content over DTLS,
 * reports from a plain endpoint beside it). Thread-safe.
 */
public final class AccessPointSimulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private final ApOptions options;
    private final ScheduledExecutorService timers;
    private final CoapServer server;
    private final CoapEndpoint endpoint;
    /** Where status reports leave from: the serving endpoint, or a plain one beside a DTLS server. */
    private final CoapEndpoint reporter;

    private final Set<String> peerIdentities = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> shown = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> received = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> contents = new ConcurrentHashMap<>();
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong reportsAcked = new AtomicLong();
    private final AtomicLong reportsFailed = new AtomicLong();
    private final AtomicLong unheard = new AtomicLong();
    private final AtomicLong ackedOnly = new AtomicLong();
    private final java.util.Random faultDice = new java.util.Random();

    public AccessPointSimulator(ApOptions options) {
        this.options = options;
        this.timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "ap-sim-" + options.apId());
            t.setDaemon(true);
            return t;
        });
        Configuration config = Configuration.createStandardWithoutFile();
        // The store LAN: short retransmission timeouts, as the gateway uses towards access points.
        config.set(CoapConfig.ACK_TIMEOUT, 500, TimeUnit.MILLISECONDS);
        config.set(CoapConfig.ACK_INIT_RANDOM, 1.5f);
        config.set(CoapConfig.MAX_RETRANSMIT, 4);
        if (options.dtls() == null) {
            LossyUdpConnector connector = new LossyUdpConnector(
                    new InetSocketAddress("127.0.0.1", options.port()),
                    config,
                    options.loss(),
                    options.latency().toMillis(),
                    timers);
            this.endpoint = new CoapEndpoint.Builder()
                    .setConfiguration(config)
                    .setConnector(connector)
                    .setLoggingTag(options.apId())
                    .build();
            this.reporter = endpoint;
        } else {
            // Content over DTLS (no simulated loss on it); reports still go plain to the gateway's coap:// address.
            this.endpoint = dtlsServer(config, options);
            LossyUdpConnector connector = new LossyUdpConnector(
                    new InetSocketAddress("127.0.0.1", 0),
                    config,
                    options.loss(),
                    options.latency().toMillis(),
                    timers);
            this.reporter = new CoapEndpoint.Builder()
                    .setConfiguration(config)
                    .setConnector(connector)
                    .setLoggingTag(options.apId() + "-reports")
                    .build();
        }
        this.server = new CoapServer(config);
        server.addEndpoint(endpoint);
        server.add(new LabelsResource());
    }

    private static CoapEndpoint dtlsServer(Configuration config, ApOptions options) {
        AdvancedMultiPskStore store = new AdvancedMultiPskStore();
        store.setKey(options.dtls().identity(), options.dtls().key());
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY)
                .setAddress(new InetSocketAddress("127.0.0.1", options.port()))
                .setAdvancedPskStore(store)
                .setLoggingTag(options.apId())
                .build();
        return new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setConnector(new DTLSConnector(dtls))
                .build();
    }

    /** Starts listening; returns the UDP port. */
    public int start() {
        server.start();
        if (reporter != endpoint) {
            try {
                reporter.start();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return endpoint.getAddress().getPort();
    }

    public int port() {
        return endpoint.getAddress().getPort();
    }

    public String url() {
        return (options.dtls() == null ? "coap" : "coaps") + "://127.0.0.1:" + port();
    }

    /** The PSK identities that PUT content over DTLS (empty for a plain access point). */
    public Set<String> peerIdentities() {
        return Set.copyOf(peerIdentities);
    }

    /** The version the label shows, 0 if none yet. */
    public long shown(String labelId) {
        return shown.getOrDefault(labelId, 0L);
    }

    /** Every version PUT for the label, in arrival order, retransmissions not counted. */
    public List<Long> received(String labelId) {
        List<Long> versions = received.get(labelId);
        if (versions == null) {
            return List.of();
        }
        synchronized (versions) {
            return List.copyOf(versions);
        }
    }

    /** The content last PUT for the label, or null. */
    public JsonNode content(String labelId) {
        return contents.get(labelId);
    }

    public long puts() {
        return puts.get();
    }

    /** Label PUTs lost as a whole: never ACKed, retransmissions unheard ({@link ApFaults}). */
    public long unheard() {
        return unheard.get();
    }

    /** Label PUTs given an empty ACK and never answered ({@link ApFaults}). */
    public long ackedOnly() {
        return ackedOnly.get();
    }

    public long reportsAcked() {
        return reportsAcked.get();
    }

    public long reportsFailed() {
        return reportsFailed.get();
    }

    private void take(String labelId, long version) {
        if (options.dead().contains(labelId)) {
            return;
        }
        long checkInMs = options.checkIn().toMillis();
        long delay = checkInMs == 0 ? 0 : ThreadLocalRandom.current().nextLong(checkInMs + 1);
        timers.schedule(
                () -> {
                    Long before = shown.get(labelId);
                    if (before != null && before >= version) {
                        return;
                    }
                    shown.put(labelId, version);
                    report(labelId, version, 0);
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    private void report(String labelId, long version, int attempt) {
        int battery = options.lowBattery().contains(labelId) ? 5 : 87;
        String body = "{\"msgId\":\"" + options.apId() + "-" + labelId + "-v" + version + "\",\"version\":" + version
                + ",\"battery\":" + battery + "}";
        Request request = Request.newPost();
        request.setURI(options.gatewayCoap() + "/esl/" + labelId + "/status");
        request.setConfirmable(true);
        request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        request.setPayload(body.getBytes(StandardCharsets.UTF_8));
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                if (response.getCode() == ResponseCode.CHANGED) {
                    reportsAcked.incrementAndGet();
                } else {
                    retry();
                }
            }

            @Override
            protected void failed() {
                retry();
            }

            private void retry() {
                // The same msgId again: the gateway acts on it once.
                if (attempt < 5) {
                    timers.schedule(() -> report(labelId, version, attempt + 1), 1, TimeUnit.SECONDS);
                } else {
                    reportsFailed.incrementAndGet();
                }
            }
        });
        reporter.sendRequest(request);
    }

    @Override
    public void close() {
        server.destroy();
        if (reporter != endpoint) {
            reporter.destroy();
        }
        timers.shutdownNow();
    }

    /** {@code /labels}: resolves any {@code /labels/{labelId}} without a resource object per label. */
    private final class LabelsResource extends CoapResource {
        LabelsResource() {
            super("labels");
        }

        @Override
        public Resource getChild(String labelId) {
            return new LabelResource(this, labelId);
        }
    }

    private final class LabelResource extends CoapResource {
        private final String labelId;

        LabelResource(LabelsResource parent, String labelId) {
            super(labelId, true);
            this.labelId = labelId;
            setParent(parent);
            setPath(parent.getPath() + parent.getName() + "/");
        }

        @Override
        public void handlePUT(CoapExchange exchange) {
            puts.incrementAndGet();
            ApFaults.Fate fate;
            synchronized (faultDice) {
                fate = options.faults().next(faultDice);
            }
            if (fate == ApFaults.Fate.UNHEARD) {
                // No ACK, no answer: Californium's deduplication then ignores the retransmissions of this request too.
                unheard.incrementAndGet();
                return;
            }
            if (fate == ApFaults.Fate.ACKED_ONLY) {
                exchange.accept(); // the empty ACK: "the answer follows", and it never does
                ackedOnly.incrementAndGet();
                return;
            }
            if (exchange.advanced().getRequest().getSourceContext().getPeerIdentity()
                    instanceof PreSharedKeyIdentity psk) {
                peerIdentities.add(psk.getIdentity());
            }
            if (!options.knows().test(labelId)) {
                exchange.respond(ResponseCode.NOT_FOUND, "no label " + labelId + " at " + options.apId());
                return;
            }
            JsonNode content;
            try {
                content = JSON.readTree(exchange.getRequestPayload());
            } catch (java.io.IOException e) {
                content = null;
            }
            if (content == null
                    || !content.path("version").canConvertToLong()
                    || !content.path("price").isTextual()) {
                exchange.respond(ResponseCode.BAD_REQUEST, "content needs version and price");
                return;
            }
            long version = content.get("version").asLong();
            // A late retransmission of an older version must not look like what the label got last.
            JsonNode finalContent = content;
            contents.merge(labelId, content, (was, now) -> was.path("version").asLong() > version ? was : finalContent);
            List<Long> versions = received.computeIfAbsent(labelId, id -> new ArrayList<>());
            synchronized (versions) {
                versions.add(version);
            }
            exchange.respond(ResponseCode.CHANGED);
            take(labelId, version);
        }
    }
}
