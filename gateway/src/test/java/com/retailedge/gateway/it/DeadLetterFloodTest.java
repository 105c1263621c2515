package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.StoreIntegrity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Devices sending 60 KiB of garbage as fast as they are acknowledged leave a data directory bounded by
 * {@code deadletters.max-bytes} (plus the WAL's bound), not by what they sent: the payloads of the oldest dead
 * letters are dropped while every row keeps its reason and size, and good input is still accepted.
 */
@Timeout(240)
@Tag("slow")
class DeadLetterFloodTest {
    private static final int DEVICES = 4;
    private static final int EACH = 1000;
    private static final int GARBAGE = 60 * 1024;

    @TempDir
    Path dir;

    private final AtomicLong peakDatabaseBytes = new AtomicLong();

    @Test
    void a_garbage_flood_leaves_the_data_directory_bounded_and_good_input_still_accepted() throws Exception {
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp())
                .set("GATEWAY_DEADLETTERS_MAX_BYTES", "2MB")
                .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
        long sent = (long) DEVICES * EACH * GARBAGE;
        try (InProcessGateway gateway = InProcessGateway.start(env)) {
            ApiClient read = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
            List<Future<?>> floods = new ArrayList<>();
            for (int d = 1; d <= DEVICES; d++) {
                String topic = Payloads.pressTopic("button-" + d);
                long seed = d;
                floods.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    try (MqttDevice device = new MqttDevice("tcp://127.0.0.1:" + env.mqttPort())) {
                        byte[] garbage = new byte[GARBAGE];
                        for (int n = 0; n < EACH; n++) {
                            random.nextBytes(garbage);
                            device.publish(topic, garbage); // returns on the PUBACK: the dead letter is durable
                        }
                    }
                    return null;
                }));
            }
            while (!floods.stream().allMatch(Future::isDone)) {
                peakDatabaseBytes.accumulateAndGet(databaseBytes(env.dataDir()), Math::max);
                Thread.sleep(100); // sampling the directory while the flood runs, not synchronisation
            }
            for (Future<?> flood : floods) {
                flood.get();
            }
            pool.shutdown();

            await("payloads pruned to the bound")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> read.metric("gateway_deadletters_payload_bytes", Map.of()) <= 2 * 1024 * 1024);
            assertTrue(read.metric("gateway_deadletters_pruned_total", Map.of("what", "payload")) > 0);

            try (MqttDevice good = new MqttDevice("tcp://127.0.0.1:" + env.mqttPort())) {
                good.publish(Payloads.pressTopic("button-9"), Payloads.press("after-the-flood"));
            }
            await("the good press accepted")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> read.events().stream()
                            .anyMatch(e -> e.path("data").path("msgId").asText().equals("after-the-flood")));

            assertTrue(
                    peakDatabaseBytes.get() < 96L * 1024 * 1024,
                    "the database files peaked at " + peakDatabaseBytes.get() / 1024 / 1024 + " MB while "
                            + sent / 1024 / 1024 + " MB of garbage came");
            await("the WAL given back once the writer is idle")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> databaseBytes(env.dataDir()) < 24L * 1024 * 1024);
            // The embedded broker's store is a fixed 64 MB page file, whatever the traffic.
            long size = directorySize(env.dataDir());
            System.out.printf(
                    "garbage flood: %d MB sent; database files peaked at %d MB, now %d MB; data directory %d MB;"
                            + " payloads dropped %.0f%n",
                    sent >> 20,
                    peakDatabaseBytes.get() >> 20,
                    databaseBytes(env.dataDir()) >> 20,
                    size >> 20,
                    read.metric("gateway_deadletters_pruned_total", Map.of("what", "payload")));
            assertTrue(
                    size < 100L * 1024 * 1024,
                    "data directory " + size / 1024 / 1024 + " MB after " + sent / 1024 / 1024 + " MB of garbage");
            try (Connection c = DriverManager.getConnection(
                            "jdbc:sqlite:" + env.dataDir().resolve("gateway.db"));
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(payload), MIN(size), "
                            + "COUNT(DISTINCT reason) FROM dead_letter")) {
                assertTrue(rs.next());
                assertEquals(DEVICES * EACH, rs.getLong(1), "every dead letter keeps its row");
                assertTrue(rs.getLong(2) < 2 * 1024 * 1024 / GARBAGE + 1, "payloads kept: " + rs.getLong(2));
                assertEquals(GARBAGE, rs.getLong(3), "and its size as received");
                assertEquals(1, rs.getLong(4));
            }
        }
        assertEquals("ok", StoreIntegrity.check(env.dataDir()));
    }

    /** gateway.db with its WAL and shared-memory files. */
    private static long databaseBytes(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("gateway.db"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static long directorySize(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
