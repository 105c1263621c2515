package com.retailedge.gateway.ingest;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.labels.LabelCapability;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.StoreIntegrity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fuzzing of device payload handling: no input escapes as an unhandled exception, every input gets an
 * outcome (accepted, duplicate, or a dead letter with a reason) and, over the wire, an answer; the gateway stays
 * healthy. The seed is printed; {@code -Dfuzz.seed=N} replays a run and {@code -Dfuzz.cases=N} runs longer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("slow")
class PayloadFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int DECODER_CASES = Integer.getInteger("fuzz.cases", 40_000);
    private static final int INGEST_CASES = DECODER_CASES / 8;
    private static final int WINDOW = 1000;
    private static final int WIRE_CASES = Math.max(200, DECODER_CASES / 200);

    @TempDir
    Path dir;

    @Test
    void the_decoder_answers_every_input_with_a_message_or_a_rejection() {
        System.out.println("PayloadFuzzTest seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
        FuzzPayloads fuzz = new FuzzPayloads(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> escaped = new ArrayList<>();
        for (int i = 0; i < DECODER_CASES; i++) {
            FuzzPayloads.Case c = fuzz.next();
            try {
                PayloadDecoder.decode(c.channel(), c.deviceId(), c.payload());
                outcomes.merge("decoded", 1, Integer::sum);
            } catch (Rejection r) {
                assertNotNull(r.reason());
                outcomes.merge(r.reason().code(), 1, Integer::sum);
            } catch (RuntimeException | StackOverflowError e) {
                escaped.add("case " + i + " (" + c.mutation() + "): " + e);
            }
        }
        System.out.println("fuzz decoder: " + DECODER_CASES + " cases, outcomes " + outcomes);
        assertEquals(List.of(), escaped.subList(0, Math.min(10, escaped.size())), escaped.size() + " inputs escaped");
        assertTrue(outcomes.size() > 5, "the generator reaches many rejection reasons: " + outcomes);
    }

    @Test
    void device_ingest_makes_every_input_durable_as_accepted_state_or_a_dead_letter() throws Exception {
        GatewayEnv env = new GatewayEnv(dir.resolve("ingest"), "tcp://127.0.0.1:1");
        Database db = Database.open(dir.resolve("ingest"));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        Outbox outbox;
        DeviceRegistry registry;
        try (Connection c = db.openReadConnection()) {
            outbox = Outbox.load(c, GatewayEnv.STORE, 1_000_000, 1L << 30);
            registry = DeviceRegistry.load(c);
        }
        Map<IngestResult.Outcome, Integer> outcomes = new EnumMap<>(IngestResult.Outcome.class);
        try (SqliteWriter writer = new SqliteWriter(db, 2000, 100_000, metrics)) {
            writer.start();
            writer.submit(tx -> {
                        registry.registerConfigured(
                                tx, new ConfigLoader(env.asMap()).load(null).devices());
                        return null;
                    })
                    .get();
            GatewayConfig config = new ConfigLoader(env.asMap()).load(null);
            DeadLetters deadLetters = new DeadLetters(metrics);
            // Label status reports feed the label capability's state machine, so it takes part as in the gateway.
            try (ReadPool reads = new ReadPool(db, 1);
                    Capability labels = LabelCapability.create(config, writer, outbox, registry, reads, metrics)
                            .capability(config.devices());
                    DeviceIngest ingest = new DeviceIngest(
                            writer,
                            outbox,
                            registry,
                            deadLetters,
                            Capabilities.of(labels),
                            (pda, json) -> {},
                            DeviceIngest.MAX_QUEUED_REPLIES,
                            new InFlightBudget(InFlightBudget.MAX_MESSAGES, InFlightBudget.MAX_BYTES, metrics),
                            metrics)) {
                labels.start();
                FuzzPayloads fuzz = new FuzzPayloads(SEED + 1);
                List<CompletableFuture<IngestResult>> futures = new ArrayList<>();
                for (int i = 0; i < INGEST_CASES; i++) {
                    FuzzPayloads.Case c = fuzz.next();
                    Transport transport = i % 2 == 0 ? Transport.MQTT : Transport.COAP;
                    futures.add(ingest.submit(
                            transport,
                            "fuzz/" + c.mutation(),
                            new DeviceAddress(c.channel(), c.deviceId()),
                            c.payload()));
                    // In windows, as devices send: beyond its in-flight budget the gateway refuses by design.
                    if (futures.size() == WINDOW || i == INGEST_CASES - 1) {
                        for (CompletableFuture<IngestResult> f : futures) {
                            // get() throws if the store failed or an exception escaped: every input must have an
                            // outcome.
                            outcomes.merge(f.get(30, TimeUnit.SECONDS).outcome(), 1, Integer::sum);
                        }
                        futures.clear();
                    }
                }
            }
        }
        System.out.println("fuzz ingest: " + INGEST_CASES + " cases, outcomes " + outcomes);
        assertEquals(
                INGEST_CASES,
                outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(
                (long) outcomes.getOrDefault(IngestResult.Outcome.REJECTED, 0),
                count(db, "dead_letter"),
                "one dead letter per rejected input");
        // PDA actions refused by the picking rules are remembered too, so a repeat hears the same refusal.
        assertEquals(
                (long) outcomes.getOrDefault(IngestResult.Outcome.ACCEPTED, 0),
                count(db, "device_message") - count(db, "device_message WHERE reply LIKE '%\"result\":\"rejected\"%'"));
        assertEquals("ok", StoreIntegrity.check(dir.resolve("ingest")));
    }

    @Test
    void over_real_mqtt_and_coap_every_input_is_answered_and_the_gateway_stays_healthy() throws Exception {
        GatewayEnv env = new GatewayEnv(dir.resolve("wire"), "tcp://127.0.0.1:" + FreePorts.tcp());
        FuzzPayloads fuzz = new FuzzPayloads(SEED + 2);
        int coapAnswered = 0;
        int mqttAcked = 0;
        try (InProcessGateway gateway = InProcessGateway.start(env);
                CoapDevice coap = new CoapDevice(env.coapPort())) {
            MqttClient mqtt = new MqttClient(env.mqttUrl(), "fuzz-" + SEED, new MemoryPersistence());
            mqtt.setTimeToWait(20_000);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMaxInflight(1000);
            mqtt.connect(options);
            try {
                for (int i = 0; i < WIRE_CASES; i++) {
                    FuzzPayloads.Case c = fuzz.next();
                    String path = c.channel().segment() + "/" + c.deviceId() + "/"
                            + c.channel().leaf();
                    if (i % 2 == 0) {
                        // QoS 1: publish returns only on the PUBACK, which comes once the input is durable.
                        mqtt.publish("store/" + GatewayEnv.STORE + "/" + path, c.payload(), 1, false);
                        mqttAcked++;
                    } else {
                        CoapResponse answer = coap.post("/" + path, c.payload());
                        assertTrue(answer.getCode().codeClass >= 2, "answered: " + answer.getCode());
                        coapAnswered++;
                    }
                }
            } finally {
                mqtt.disconnect();
                mqtt.close();
            }
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.metric("gateway_device_messages_total", Map.of()) >= WIRE_CASES);
            assertEquals(WIRE_CASES, api.metric("gateway_device_messages_total", Map.of()), "one outcome per input");
            assertEquals(0.0, api.metric("gateway_device_messages_total", Map.of("outcome", "failed")));
            assertEquals("UP", api.json("/health").path("status").asText());
            System.out.printf(
                    "fuzz wire: %d MQTT publishes acknowledged, %d CoAP requests answered, %d dead letters%n",
                    mqttAcked, coapAnswered, api.deadLetters().size());
        }
        assertEquals("ok", StoreIntegrity.check(dir.resolve("wire")));
    }

    private static long count(Database db, String table) throws Exception {
        try (Connection c = db.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.getLong(1);
        }
    }
}
