package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A cloud broker restarted after a long outage (a deploy) is noticed within about a second, with the shipped
 * back-off of 30 s: a connect the host refused outright is retried at least every second, where the back-off grown
 * during nine seconds of outage would wait at least another two and a half before its next attempt.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Tag("slow")
class CloudBackQuicklyTest {
    @TempDir
    Path dir;

    @Test
    void events_flow_again_within_seconds_of_the_cloud_broker_coming_back() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribePersistent(cloud.url(), "cloud-back-collector");
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), cloud.url())
                        .set("GATEWAY_CLOUD_RECONNECT_MAX", "30s")
                        .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"));
                CoapDevice coap = new CoapDevice(gateway.env().coapPort())) {
            coap.press("button-1");
            await("the first event").atMost(Duration.ofSeconds(30)).until(() -> collector.distinctCount() == 1);

            cloud.stop();
            coap.press("button-2");
            Thread.sleep(9_000);
            cloud.start();
            long back = System.nanoTime();
            GatewayHttp http = new GatewayHttp(gateway.env());
            await("the cloud link is back")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> "CONNECTED"
                            .equals(http.health().path("cloud").path("state").asText()));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
            // The grown back-off's next attempt comes 2.5 s or more after the broker is back; a refused connect's
            // retry within a second.
            assertEquals(true, tookMs < 2_000, "connected " + tookMs + " ms after the broker came back");
            await("the event stored during the outage arrives")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> collector.distinctCount() == 2);
        }
    }
}
