package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.gateway.testsupport.StoreIntegrity;
import com.retailedge.gateway.testsupport.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cloud link through a TCP proxy the test controls, under continuous device traffic. A link that stays up but
 * stops acknowledging (PUBACKs dropped; every byte swallowed) is noticed within {@code cloud.ack-timeout} and
 * replaced, long before TCP or the MQTT keep-alive would; {@code /health} and the metrics show the age of the
 * oldest unsent event meanwhile. A cut link is noticed at once. After each fault the link comes back, every
 * acknowledged device message reaches the cloud without a gap, and the database passes {@code integrity_check}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag("slow")
class CloudStallTest {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);
    /** Detection may take the timeout plus the forwarder's one-second wait plus a loaded machine's slack. */
    private static final Duration DETECTION_LIMIT = ACK_TIMEOUT.plusSeconds(8);

    @TempDir
    Path dir;

    @Test
    void a_link_that_stops_acknowledging_is_replaced_within_the_ack_timeout_and_nothing_is_lost() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                TcpProxy proxy = new TcpProxy(cloud.port());
                CloudCollector collector = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), proxy.url())
                        .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms")
                        .set("GATEWAY_CLOUD_ACK_TIMEOUT", ACK_TIMEOUT.toMillis() + "ms")
                        .set("GATEWAY_CLOUD_KEEP_ALIVE", "60s"))) {
            GatewayHttp http = new GatewayHttp(gateway.env());
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            DeviceTraffic traffic =
                    new DeviceTraffic(gateway.env().mqttUrl(), gateway.env().coapUrl(""), 100, 10).start();
            try {
                awaitFlowing(collector);

                long stalledIn = awaitReplaced(api, http, "PUBACKs dropped", proxy::dropPubacks);
                assertTrue(
                        api.metric("gateway_outbox_oldest_pending_age_seconds", Map.of()) >= 1,
                        "the metric shows the unsent events' age");
                assertTrue(http.health()
                                .path("outbox")
                                .path("oldestPendingAgeSeconds")
                                .asDouble()
                        >= 1);
                proxy.restore();
                awaitFlowing(collector);

                long blackholedIn = awaitReplaced(api, http, "every byte swallowed", proxy::blackhole);
                proxy.restore();
                await("the link is back after the black hole")
                        .atMost(Duration.ofSeconds(40))
                        .until(() -> connected(http.health()));
                awaitFlowing(collector);

                proxy.cut();
                await("a cut link shows as down").atMost(Duration.ofSeconds(10)).until(() -> !connected(http.health()));
                proxy.restore();
                await("the link is back after the cut")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> connected(http.health()));
                awaitFlowing(collector);
                System.out.printf(
                        "cloud-stall: dropped PUBACKs noticed in %d ms, black hole in %d ms (ack-timeout %d ms)%n",
                        stalledIn, blackholedIn, ACK_TIMEOUT.toMillis());
            } finally {
                traffic.stop();
            }

            Set<String> acked = traffic.acked();
            await("every acknowledged msgId at the cloud")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> collector.assertHasAll(acked));
            List<JsonNode> events = collector.distinctEvents();
            System.out.printf(
                    "cloud-stall summary: acked=%d events=%d deliveries=%d duplicateDeliveries=%d%n",
                    acked.size(), events.size(), collector.deliveries().size(), collector.duplicateDeliveries());
            assertEquals(List.of(), traffic.refusals(), "valid messages refused by the gateway");
            assertEquals(Set.of(), collector.missing(acked), "acknowledged messages lost");
            assertEquals(Map.of(), collector.msgIdsOnSeveralEvents(), "a device message acted on more than once");
            CloudEventChecks.assertAllWellFormed(events);
            CloudEventChecks.assertFirstArrivalsAreOneToN(events);
            assertEquals("ok", StoreIntegrity.check(gateway.env().dataDir()));
        }
    }

    /** Starts the fault, waits until the forwarder gives up the silent connection; returns how long that took. */
    private static long awaitReplaced(ApiClient api, GatewayHttp http, String fault, Runnable startFault)
            throws Exception {
        double connects = api.metric("gateway_cloud_connects_total", Map.of());
        double stalls = api.metric("gateway_cloud_stalls_total", Map.of());
        long start = System.nanoTime();
        startFault.run();
        await("a stalled link (" + fault + ") is noticed")
                .atMost(DETECTION_LIMIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.metric("gateway_cloud_stalls_total", Map.of()) > stalls);
        // Down: lastError says why; already connected again: previousError keeps it.
        JsonNode link = http.health().path("cloud");
        String why = link.path("lastError").asText().isEmpty()
                ? link.path("previousError").path("message").asText()
                : link.path("lastError").asText();
        assertTrue(why.startsWith("no PUBACK from the cloud"), "/health says why the link was replaced: " + link);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took >= ACK_TIMEOUT.toMillis() - 200, "noticed after " + took + " ms: not before the timeout");
        // Replaced: the forwarder connects again (through the proxy, so only while the fault lets CONNACK through).
        if (!fault.startsWith("every byte")) {
            await("a new connection is made")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> api.metric("gateway_cloud_connects_total", Map.of()) > connects);
        }
        return took;
    }

    private static void awaitFlowing(CloudCollector collector) {
        int before = collector.distinctCount();
        await("events reach the cloud")
                .atMost(Duration.ofSeconds(30))
                .until(() -> collector.distinctCount() > before + 50);
    }

    private static boolean connected(JsonNode health) {
        return "CONNECTED".equals(health.path("cloud").path("state").asText());
    }
}
