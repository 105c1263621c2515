package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.gateway.testsupport.StoreIntegrity;
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

/**
 * When the cloud link is down, events wait in SQLite and go out in sequence order once it is back
 * (CONTRACT §4). The cloud broker is stopped under continuous device traffic and started again on the same
 * port; the cloud backend keeps a persistent session, so the broker holds what it had taken for it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("slow")
class CloudOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void events_wait_in_the_outbox_while_the_cloud_is_down_and_follow_in_order_without_gaps() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribePersistent(cloud.url(), "cloud-backend-s001");
                InProcessGateway gateway = InProcessGateway.start(
                        new GatewayEnv(dir.resolve("gateway"), cloud.url()).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"))) {
            GatewayHttp http = new GatewayHttp(gateway.env());
            DeviceTraffic traffic =
                    new DeviceTraffic(gateway.env().mqttUrl(), gateway.env().coapUrl(""), 200, 30).start();
            try {
                await("events reach the cloud")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> collector.distinctCount() > 50);

                cloud.stop();
                long down = System.nanoTime();
                await("/health shows the cloud link down")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> !cloudConnected(http.health()));
                // The outage lasts at least OUTAGE, and events pile up in the outbox meanwhile.
                long pendingAtDown = outboxPending(http.health());
                await("events pile up in the outbox")
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            JsonNode health = http.health();
                            return System.nanoTime() - down >= OUTAGE.toNanos()
                                    && !cloudConnected(health)
                                    && outboxPending(health) > Math.max(50, pendingAtDown);
                        });

                cloud.start();
                await("/health shows the cloud link back")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> cloudConnected(http.health()));
                int afterRestart = collector.distinctCount();
                await("events flow again")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> collector.distinctCount() > afterRestart + 50);
            } finally {
                traffic.stop();
            }

            Set<String> acked = traffic.acked();
            await("every acknowledged msgId at the cloud")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> collector.assertHasAll(acked));
            await("the outbox drained").atMost(Duration.ofSeconds(20)).until(() -> outboxPending(http.health()) == 0);

            List<JsonNode> events = collector.distinctEvents();
            System.out.printf(
                    "cloud-outage summary: sent=%d acked=%d events=%d deliveries=%d duplicateDeliveries=%d%n",
                    traffic.sent().size(),
                    acked.size(),
                    events.size(),
                    collector.deliveries().size(),
                    collector.duplicateDeliveries());
            assertEquals(List.of(), traffic.refusals(), "valid messages refused by the gateway");
            assertEquals(List.of(), collector.unreadable(), "payloads that are not CloudEvents JSON");
            assertEquals(Set.of(), collector.missing(acked), "acknowledged messages lost");
            assertEquals(Map.of(), collector.msgIdsOnSeveralEvents(), "a device message acted on more than once");
            CloudEventChecks.assertAllWellFormed(events);
            CloudEventChecks.assertFirstArrivalsAreOneToN(events);
            assertEquals(
                    "ok", StoreIntegrity.check(gateway.env().dataDir()), "PRAGMA integrity_check after the outage");
        }
    }

    private static boolean cloudConnected(JsonNode health) {
        return "CONNECTED".equals(health.path("cloud").path("state").asText());
    }

    private static long outboxPending(JsonNode health) {
        return health.path("outbox").path("pending").asLong();
    }
}
