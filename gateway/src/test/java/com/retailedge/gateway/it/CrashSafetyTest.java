package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.GatewayProcess;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.gateway.testsupport.StoreIntegrity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing acknowledged to a device is lost when the gateway process dies (CONTRACT §4): under continuous
 * MQTT and CoAP traffic the gateway is killed with {@code kill -9} at random moments and started again on the
 * same data directory and ports. Every message a device got a PUBACK or a {@code 2.04} for reaches the cloud
 * as one event; the cloud may see an event again (same {@code id}) but never a gap in the sequence.
 *
 * <p>The kill moments come from a seeded {@link Random}; the seed is printed, and {@code -Dcrash.seed=N}
 * replays it. {@code -Dcrash.kills=N} kills more often. On failure the gateway's log is printed and its
 * directory kept.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("slow")
class CrashSafetyTest {
    private static final int KILLS = Integer.getInteger("crash.kills", 3);
    private static final int CLOUD_WINDOW = 256;
    private static final int MQTT_PER_SECOND = 1000;
    /** Resends beyond the window: acknowledgements the cloud gave whose cursor was not yet saved, and so on. */
    private static final int DUPLICATE_SLACK = 100;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void acknowledged_device_messages_survive_kill_9_of_the_gateway_and_reach_the_cloud_without_gaps()
            throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashSafetyTest seed " + seed + " (replay with -Dcrash.seed=" + seed + ")");
        Path log = dir.resolve("gateway.log");
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url())) {
            GatewayEnv env = gatewayEnv(cloud);
            try (GatewayProcess gateway = new GatewayProcess(env, log).start()) {
                // Fast enough that each kill usually lands while some publishes are between arrival and commit: a
                // gate that answered PUBACK before the commit loses one of them in most runs.
                DeviceTraffic traffic = new DeviceTraffic(env.mqttUrl(), env.coapUrl(""), MQTT_PER_SECOND, 50).start();
                try {
                    killAndRestartUnderTraffic(gateway, traffic, new Random(seed), env.dataDir());
                } finally {
                    traffic.stop();
                }
                assertNothingAcknowledgedIsLost(seed, collector, traffic);
                assertTrue(gateway.isAlive(), "the gateway runs on after the test's kills");
                assertEquals("ok", StoreIntegrity.check(env.dataDir()), "PRAGMA integrity_check at the end");
            }
        } catch (Throwable failure) {
            printTail(log, 80);
            throw failure;
        }
    }

    /**
     * Every acknowledged msgId arrives as exactly one distinct event, sequences have no gap, and repeated deliveries
     * stay within what resending from the acknowledged cursor after each kill can cause.
     */
    private static void assertNothingAcknowledgedIsLost(long seed, CloudCollector collector, DeviceTraffic traffic) {
        Set<String> acked = traffic.acked();
        long drain = System.nanoTime();
        await("every acknowledged msgId at the cloud")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> collector.assertHasAll(acked));
        System.out.println(
                "the cloud had every acknowledged msgId " + millisSince(drain) + " ms after the devices stopped");

        List<JsonNode> events = collector.distinctEvents();
        int duplicates = collector.duplicateDeliveries();
        System.out.printf(
                "crash-safety summary: seed=%d kills=%d sent=%d attempts=%d resends=%d acked=%d events=%d "
                        + "deliveries=%d duplicateDeliveries=%d%n",
                seed,
                KILLS,
                traffic.sent().size(),
                traffic.attempts(),
                traffic.resends(),
                acked.size(),
                events.size(),
                collector.deliveries().size(),
                duplicates);

        assertEquals(List.of(), traffic.refusals(), "valid messages refused by the gateway");
        assertEquals(List.of(), collector.unreadable(), "payloads that are not CloudEvents JSON");
        assertEquals(Set.of(), collector.missing(acked), "acknowledged messages lost");
        assertEquals(Map.of(), collector.msgIdsOnSeveralEvents(), "a device message acted on more than once");
        CloudEventChecks.assertAllWellFormed(events);
        CloudEventChecks.assertSequencesGapFree(events);
        CloudEventChecks.assertFirstArrivalsAreOneToN(events);
        assertTrue(
                duplicates <= KILLS * CLOUD_WINDOW + DUPLICATE_SLACK,
                duplicates + " repeated deliveries exceed " + KILLS + " kills x window " + CLOUD_WINDOW + " + "
                        + DUPLICATE_SLACK);
    }

    private GatewayEnv gatewayEnv(Mosquitto cloud) {
        return new GatewayEnv(dir.resolve("gateway"), cloud.url())
                .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms")
                .set("GATEWAY_CLOUD_WINDOW", Integer.toString(CLOUD_WINDOW));
    }

    /** KILLS times: let traffic flow, wait a random 1-3 s, kill -9, start again on the same env. */
    private static void killAndRestartUnderTraffic(
            GatewayProcess gateway, DeviceTraffic traffic, Random random, Path dataDir) throws Exception {
        for (int k = 1; k <= KILLS; k++) {
            awaitTrafficFlowing(traffic);
            long before = 1000 + random.nextInt(2001);
            Thread.sleep(before); // the deliberate random moment of the kill, not a synchronisation
            gateway.kill();
            int ackedAtKill = traffic.ackedCount();
            long restart = System.nanoTime();
            gateway.start();
            System.out.println("kill -9 #" + k + " after " + before + " ms, with " + ackedAtKill
                    + " acknowledged so far; healthy again in " + millisSince(restart) + " ms");
            assertEquals("ok", StoreIntegrity.check(dataDir), "PRAGMA integrity_check after kill -9 #" + k);
        }
        awaitTrafficFlowing(traffic);
    }

    private static void printTail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            System.out.println("--- last " + lines + " lines of " + log + " ---");
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("no gateway log at " + log + ": " + e);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Devices have reconnected and the gateway acknowledges again. */
    private static void awaitTrafficFlowing(DeviceTraffic traffic) {
        int before = traffic.ackedCount();
        await("devices acknowledged again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> traffic.ackedCount() > before + 20);
    }
}
