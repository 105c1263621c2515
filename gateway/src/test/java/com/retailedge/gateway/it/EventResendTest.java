package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An admin asks for a re-send over the API: the cloud gets every stored event from that sequence on once
 * more, in order and with the same ids (so it can de-duplicate), and new events still follow without a gap.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Tag("slow")
class EventResendTest {
    @TempDir
    Path dir;

    @Test
    void given_acknowledged_events_when_an_admin_asks_for_a_resend_then_the_cloud_gets_them_again_with_the_same_ids()
            throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector collector = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(
                        new GatewayEnv(dir.resolve("gateway"), cloud.url()).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"));
                CoapDevice coap = new CoapDevice(gateway.env().coapPort())) {
            for (int i = 1; i <= 10; i++) {
                coap.press("button-" + i);
            }
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            await("the cloud acknowledged all ten")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> collector.distinctCount() == 10
                            && api.json("/health")
                                            .path("outbox")
                                            .path("pending")
                                            .asLong()
                                    == 0);
            List<JsonNode> first = collector.deliveries();

            HttpResponse<String> refused = post(gateway, "/api/v1/events/resend?from=4", GatewayEnv.READ_TOKEN);
            assertEquals(403, refused.statusCode(), "the cloud's read token may not ask for re-sends");
            HttpResponse<String> accepted = post(gateway, "/api/v1/events/resend?from=4", GatewayEnv.ADMIN_TOKEN);
            assertEquals(202, accepted.statusCode(), accepted.body());
            assertEquals(4, ApiClient.parse(accepted.body()).get("resendFrom").asLong());

            await("sequences 4..10 arrive again")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> collector.deliveries().size() >= first.size() + 7);
            List<JsonNode> again = collector.deliveries().subList(first.size(), first.size() + 7);
            for (int i = 0; i < 7; i++) {
                long sequence = 4 + i;
                JsonNode original = first.stream()
                        .filter(e -> e.get("sequence").asLong() == sequence)
                        .findFirst()
                        .orElseThrow();
                assertEquals(sequence, again.get(i).get("sequence").asLong(), "re-sent in order");
                assertEquals(original, again.get(i), "the same event with the same id, as stored");
            }
            assertEquals(10, collector.distinctCount(), "nothing new, only repeats");

            coap.press("button-1");
            await("a new event follows the re-send")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> collector.distinctCount() == 11);
            assertEquals(11, collector.distinctEvents().get(10).get("sequence").asLong());
            await("the outbox drained again")
                    .atMost(Duration.ofSeconds(20))
                    .until(() ->
                            api.json("/health").path("outbox").path("pending").asLong() == 0);

            // Re-sends while events stream in: the cursor keeps moving (no stall until the 30 s ack timeout),
            // and every event reaches the cloud.
            Thread devices = new Thread(() -> {
                for (int i = 0; i < 60; i++) {
                    coap.press("button-" + (1 + i % 10));
                }
            });
            devices.start();
            for (int from : List.of(2, 9, 30)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> collector.distinctCount() >= from);
                assertEquals(
                        202,
                        post(gateway, "/api/v1/events/resend?from=" + from, GatewayEnv.ADMIN_TOKEN)
                                .statusCode());
            }
            devices.join(30_000);
            await("all 71 events at the cloud and the outbox drained")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> collector.distinctCount() == 71
                            && api.json("/health")
                                            .path("outbox")
                                            .path("pending")
                                            .asLong()
                                    == 0);
        }
    }

    private static HttpResponse<String> post(InProcessGateway gateway, String pathAndQuery, String token)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.env().httpPort() + pathAndQuery))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
