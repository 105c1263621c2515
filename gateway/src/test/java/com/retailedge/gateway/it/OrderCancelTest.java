package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store manager resets a demo store without deleting data: an admin cancels the order a PDA is picking (the
 * PDA hears its new pick list and a further scan of that order is refused as closed), then every order still
 * waiting; each cancellation goes up as {@code retail.order.cancelled} and the orders stay listed as cancelled.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("slow")
class OrderCancelTest {
    private static final String MILK = "4006381333931";

    @TempDir
    Path dir;

    @Test
    void given_open_orders_when_an_admin_cancels_them_then_nobody_picks_them_and_the_cloud_hears_it() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector events = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(
                        new GatewayEnv(dir.resolve("gateway"), cloud.url()).set("GATEWAY_PICKING_ENABLED", "true"));
                PickingPda pda = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-1")) {
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "CONNECTED"
                            .equals(api.json("/health").at("/cloud/state").asText()));
            CloudCommands.send(
                    cloud,
                    "prices",
                    "{\"commandId\":\"p-1\",\"prices\":[{\"sku\":\"MILK\",\"name\":\"Milk\","
                            + "\"price\":\"1.00\",\"currency\":\"EUR\",\"gtins\":[\"" + MILK + "\"]}]}");
            StringBuilder orders = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                orders.append(i > 1 ? "," : "")
                        .append("{\"orderId\":\"D")
                        .append(i)
                        .append("\",\"due\":\"")
                        .append(Instant.now().plusSeconds(600L * i))
                        .append("\",\"lines\":[{\"sku\":\"MILK\",\"qty\":3}]}");
            }
            CloudCommands.send(cloud, "orders", "{\"commandId\":\"o-1\",\"orders\":[" + orders + "]}");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.json("/api/v1/orders?state=waiting")
                                    .get("orders")
                                    .size()
                            == 4);

            pda.status("login-1", "idle");
            assertEquals(
                    "D1",
                    pda.task(t -> t.get("orders").size() == 1)
                            .at("/orders/0/orderId")
                            .asText());
            assertEquals(
                    "accepted", pda.scan("s-1", "D1", MILK, 1).path("result").asText());

            HttpResponse<String> refused = post(gateway, "/api/v1/orders/D1/cancel", GatewayEnv.READ_TOKEN);
            assertEquals(403, refused.statusCode(), "the cloud's read token may not cancel orders");
            HttpResponse<String> cancelled = post(gateway, "/api/v1/orders/D1/cancel", GatewayEnv.ADMIN_TOKEN);
            assertEquals(200, cancelled.statusCode(), cancelled.body());
            assertEquals("picking", ApiClient.parse(cancelled.body()).get("was").asText());

            JsonNode next =
                    pda.task(t -> t.get("orders").size() == 1 && !t.toString().contains("\"D1\""));
            assertEquals("D2", next.at("/orders/0/orderId").asText(), "the idle PDA takes the next order");
            JsonNode closed = pda.scan("s-2", "D1", MILK, 1);
            assertEquals("rejected", closed.path("result").asText());
            assertEquals("order-closed", closed.path("reason").asText());
            assertEquals(
                    409,
                    post(gateway, "/api/v1/orders/D1/cancel", GatewayEnv.ADMIN_TOKEN)
                            .statusCode());

            HttpResponse<String> bulk = post(gateway, "/api/v1/orders/cancel?state=waiting", GatewayEnv.ADMIN_TOKEN);
            assertEquals(200, bulk.statusCode(), bulk.body());
            assertEquals(2, ApiClient.parse(bulk.body()).get("cancelled").asInt(), "D3 and D4; D2 is being picked");
            assertEquals(List.of("D1", "D3", "D4"), ids(api.json("/api/v1/orders?state=cancelled")));
            assertEquals(List.of("D2"), ids(api.json("/api/v1/orders?state=picking")));
            assertEquals(
                    0, api.json("/api/v1/orders?state=waiting").get("orders").size());

            await("the cloud hears each cancellation")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> events.distinctEvents().stream()
                                    .filter(e -> e.path("type").asText().equals("retail.order.cancelled"))
                                    .count()
                            == 3);
            JsonNode first = events.distinctEvents().stream()
                    .filter(e -> e.path("type").asText().equals("retail.order.cancelled"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("D1", first.path("subject").asText());
            assertEquals("pda-1", first.at("/data/pdaId").asText());
            assertTrue(
                    api.json("/api/v1/stock?sku=MILK").toString().contains("\"onHand\":-1"),
                    "what was picked stays booked out: cancelling deletes nothing");
        }
    }

    private static List<String> ids(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.get("orders").spliterator(), false)
                .map(o -> o.get("orderId").asText())
                .sorted()
                .toList();
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
