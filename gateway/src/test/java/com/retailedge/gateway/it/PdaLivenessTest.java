package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.gateway.testsupport.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PDA that vanishes gives its orders back: when its connection just drops (no DISCONNECT, no {@code off}), or
 * when it is silent for {@code picking.pda-timeout}, its order goes back to waiting and to the next idle PDA
 * within seconds. Staff see the PDAs with their state and orders, and release or reassign an order.
 */
@Timeout(120)
@Tag("slow")
class PdaLivenessTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void a_pda_whose_connection_drops_gives_its_order_to_the_next_idle_pda() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway = InProcessGateway.start(picking(cloud.url()));
                TcpProxy wifi = new TcpProxy(gateway.env().mqttPort())) {
            GatewayEnv env = gateway.env();
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            awaitCloud(api);
            CloudCommands.send(
                    cloud,
                    "orders",
                    "{\"commandId\":\"o-1\",\"orders\":[{\"orderId\":\"A1\",\"due\":\""
                            + Instant.now().plusSeconds(1800) + "\",\"lines\":[{\"sku\":\"MILK\",\"qty\":1}]}]}");
            await().atMost(WAIT)
                    .until(() -> api.json("/api/v1/orders?state=waiting")
                                    .get("orders")
                                    .size()
                            == 1);

            // pda-1 reaches the gateway over a link the test can cut; pda-2 directly
            PickingPda vanishing = new PickingPda(wifi.url(), GatewayEnv.STORE, "pda-1");
            try (PickingPda other = new PickingPda(env.mqttUrl(), GatewayEnv.STORE, "pda-2")) {
                vanishing.status("in-1", "idle");
                assertEquals(
                        List.of("A1"),
                        orderIds(vanishing.task(t -> t.get("orders").size() == 1)));
                other.status("in-2", "idle");
                other.task(t -> t.get("orders").isEmpty());

                long cutAt = System.nanoTime();
                wifi.cut();
                JsonNode handedOver = other.task(t -> t.get("orders").size() == 1);
                long handoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
                System.out.printf(
                        "pda-liveness: order handed to the next idle PDA %d ms after the connection dropped%n",
                        handoverMs);
                assertEquals(List.of("A1"), orderIds(handedOver));
                assertTrue(handoverMs < 10_000, "within seconds: " + handoverMs + " ms");

                JsonNode pdas = admin(env, "GET", "/api/v1/pdas", null, 200);
                JsonNode gone = pda(pdas, "pda-1");
                assertEquals("off", gone.get("state").asText());
                assertEquals("connection closed", gone.get("reason").asText());
                assertEquals(false, gone.get("connected").asBoolean());
                assertEquals(0, gone.get("orders").size());
                assertEquals("A1", pda(pdas, "pda-2").at("/orders/0").asText());
                assertEquals("idle", pda(pdas, "pda-2").get("state").asText());

                admin(env, "GET", "/api/v1/pdas", null, 403, GatewayEnv.READ_TOKEN);

                // staff: release puts it back to waiting (nobody else idle), assign hands it over, an off PDA takes
                // none
                JsonNode released = admin(env, "POST", "/api/v1/orders/A1/release", "", 200);
                assertEquals("waiting", released.get("state").asText());
                other.task(t -> t.get("orders").isEmpty());
                admin(env, "POST", "/api/v1/orders/A1/assign", "{\"pdaId\":\"pda-1\"}", 409);
                admin(env, "POST", "/api/v1/orders/A1/assign", "{\"pdaId\":\"nobody\"}", 400);
                admin(env, "POST", "/api/v1/orders/NOPE/release", "", 404);
                JsonNode assigned = admin(env, "POST", "/api/v1/orders/A1/assign", "{\"pdaId\":\"pda-2\"}", 200);
                assertEquals("picking", assigned.get("state").asText());
                assertEquals("pda-2", assigned.get("pdaId").asText());
                assertEquals(
                        List.of("A1"), orderIds(other.task(t -> t.get("orders").size() == 1)));
            } finally {
                closeQuietly(vanishing);
            }
        }
    }

    @Test
    void a_pda_silent_for_the_timeout_is_gone_and_its_order_goes_to_a_pda_that_keeps_reporting() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway =
                        InProcessGateway.start(picking(cloud.url()).set("GATEWAY_PICKING_PDA_TIMEOUT", "3s"));
                PickingPda silent = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-3");
                PickingPda alive = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-4")) {
            GatewayEnv env = gateway.env();
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            awaitCloud(api);
            CloudCommands.send(
                    cloud,
                    "orders",
                    "{\"commandId\":\"o-2\",\"orders\":[{\"orderId\":\"B1\",\"due\":\""
                            + Instant.now().plusSeconds(1800) + "\",\"lines\":[{\"sku\":\"MILK\",\"qty\":1}]}]}");
            await().atMost(WAIT)
                    .until(() -> api.json("/api/v1/orders?state=waiting")
                                    .get("orders")
                                    .size()
                            == 1);
            silent.status("in-3", "idle");
            assertEquals(
                    List.of("B1"), orderIds(silent.task(t -> t.get("orders").size() == 1)));

            // pda-4 reports idle every half second, as a PDA waiting for work does; pda-3 says nothing more
            ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger beat = new AtomicInteger();
            heartbeat.scheduleAtFixedRate(
                    () -> {
                        try {
                            alive.status("beat-" + beat.incrementAndGet(), "idle");
                        } catch (Exception e) {
                            // the next beat tries again
                        }
                    },
                    0,
                    500,
                    TimeUnit.MILLISECONDS);
            try {
                assertEquals(
                        List.of("B1"), orderIds(alive.task(t -> t.get("orders").size() == 1)));
            } finally {
                heartbeat.shutdownNow();
            }
            JsonNode gone = pda(admin(env, "GET", "/api/v1/pdas", null, 200), "pda-3");
            assertEquals("off", gone.get("state").asText());
            assertEquals("silent for 3s", gone.get("reason").asText());
        }
    }

    @Test
    void with_an_external_broker_the_will_of_a_vanished_pda_gives_its_order_to_the_next_idle_pda() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                Mosquitto inStore = Mosquitto.start(dir.resolve("in-store"));
                TcpProxy wifi = new TcpProxy(inStore.port());
                InProcessGateway gateway =
                        InProcessGateway.start(picking(cloud.url()).set("GATEWAY_MQTT_URL", inStore.url()))) {
            GatewayEnv env = gateway.env();
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            awaitCloud(api);
            CloudCommands.send(
                    cloud,
                    "orders",
                    "{\"commandId\":\"o-3\",\"orders\":[{\"orderId\":\"C1\",\"due\":\""
                            + Instant.now().plusSeconds(1800) + "\",\"lines\":[{\"sku\":\"MILK\",\"qty\":1}]}]}");
            await().atMost(WAIT)
                    .until(() -> api.json("/api/v1/orders?state=waiting")
                                    .get("orders")
                                    .size()
                            == 1);

            PickingPda vanishing = new PickingPda(wifi.url(), GatewayEnv.STORE, "pda-5", "will-" + System.nanoTime());
            try (PickingPda other = new PickingPda(inStore.url(), GatewayEnv.STORE, "pda-6")) {
                // the gateway's subscription on the external broker may follow its start by a moment: log in until
                // heard
                JsonNode first = null;
                for (int attempt = 1; first == null; attempt++) {
                    vanishing.status("in-5-" + attempt, "idle");
                    try {
                        first = vanishing.task(t -> t.get("orders").size() == 1);
                    } catch (AssertionError notYet) {
                        assertTrue(attempt < 3, "pda-5 never got its pick list");
                    }
                }
                assertEquals(List.of("C1"), orderIds(first));
                other.status("in-6", "idle");
                other.task(t -> t.get("orders").isEmpty());

                wifi.cut();
                assertEquals(
                        List.of("C1"),
                        orderIds(other.task(t -> t.get("orders").size() == 1)),
                        "the broker published pda-5's will; its order went to pda-6");
                JsonNode gone = pda(admin(env, "GET", "/api/v1/pdas", null, 200), "pda-5");
                assertEquals("off", gone.get("state").asText());
                assertEquals("said off", gone.get("reason").asText(), "its will said off");
            } finally {
                closeQuietly(vanishing);
            }
        }
    }

    private GatewayEnv picking(String cloudUrl) {
        return new GatewayEnv(dir.resolve("gateway"), cloudUrl).set("GATEWAY_PICKING_ENABLED", "true");
    }

    private static JsonNode pda(JsonNode pdas, String pdaId) {
        return StreamSupport.stream(pdas.get("pdas").spliterator(), false)
                .filter(p -> pdaId.equals(p.get("pdaId").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(pdaId + " not listed: " + pdas));
    }

    private static List<String> orderIds(JsonNode task) {
        return StreamSupport.stream(task.get("orders").spliterator(), false)
                .map(o -> o.get("orderId").asText())
                .toList();
    }

    private static void awaitCloud(ApiClient api) {
        await().atMost(WAIT)
                .until(() -> "CONNECTED"
                        .equals(api.json("/health").at("/cloud/state").asText()));
    }

    private static JsonNode admin(GatewayEnv env, String method, String path, String body, int status)
            throws Exception {
        return admin(env, method, path, body, status, GatewayEnv.ADMIN_TOKEN);
    }

    private static JsonNode admin(GatewayEnv env, String method, String path, String body, int status, String token)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
        return ApiClient.parse(response.body());
    }

    private static void closeQuietly(PickingPda pda) {
        try {
            pda.close();
        } catch (Exception ignored) {
            // its connection was cut on purpose
        }
    }
}
