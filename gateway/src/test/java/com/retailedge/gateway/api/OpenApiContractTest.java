package com.retailedge.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI document served at {@code /api/v1/openapi.yaml} is held to the running gateway: every route the
 * router serves is in the document, every documented operation is called over real HTTP, and every answer's
 * status is documented for it and its JSON body validates against the documented schema (JSON Schema 2020-12,
 * networknt validator). Roles (401, 403) and the per-token rate limit (429 with Retry-After) are exercised too.
 */
@Timeout(90)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("slow")
class OpenApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    @TempDir
    static Path dir;

    private static final String REORDER_BUTTON = "reorder-api";

    private Mosquitto cloud;
    private InProcessGateway gateway;
    private CoapDevice coap;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private JsonNode document;
    private final Set<String> exercised = new TreeSet<>();

    @BeforeAll
    void start() throws Exception {
        cloud = Mosquitto.start(dir.resolve("cloud"));
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), cloud.url())
                // a slow refill, so the test can run a token out of requests in a few dozen calls
                .set("GATEWAY_API_RATE_LIMIT", "1")
                .set("GATEWAY_API_RATE_BURST", "60");
        gateway = InProcessGateway.start(env);
        coap = new CoapDevice(env.coapPort());
        bindReorderButton();
        press("button-1");
        assertEquals(
                ResponseCode.BAD_REQUEST,
                coap.post(
                                "/button/button-1/press",
                                "{\"msgId\":\"x\",\"press\":\"triple\"}".getBytes(StandardCharsets.UTF_8))
                        .getCode());
        HttpResponse<String> served = call("GET", "/api/v1/openapi.yaml", GatewayEnv.READ_TOKEN);
        assertEquals(200, served.statusCode(), served.body());
        document = new ObjectMapper(new YAMLFactory()).readTree(served.body());
    }

    @AfterAll
    void stop() throws Exception {
        if (coap != null) {
            coap.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    /** A reorder button from the cloud, so the confirm route has something to confirm. */
    private void bindReorderButton() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> JSON.readTree(call("GET", "/health", null).body())
                        .at("/cloud/state")
                        .asText()
                        .equals("CONNECTED"));
        CloudCommands.send(
                cloud,
                "bindings",
                "{\"commandId\":\"bind-api\",\"bindings\":[{\"deviceId\":\"" + REORDER_BUTTON
                        + "\",\"kind\":\"button\",\"action\":\"reorder\",\"sku\":\"SKU-1\",\"qty\":2}]}");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !coap.post("/button/" + REORDER_BUTTON + "/press", "{}".getBytes(StandardCharsets.UTF_8))
                        .getResponseText()
                        .contains("not registered"));
    }

    /** An order from the cloud that nobody picks, so the cancel route has something to cancel. */
    private String waitingOrder() throws Exception {
        CloudCommands.send(
                cloud,
                "orders",
                "{\"commandId\":\"orders-api\",\"orders\":[{\"orderId\":\"API-1\","
                        + "\"due\":\"2030-01-01T00:00:00Z\",\"lines\":[{\"sku\":\"SKU-1\",\"qty\":1}]}]}");
        // Polled once a second: the admin token's bucket refills at one request a second here.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> call("GET", "/api/v1/orders?state=waiting", GatewayEnv.ADMIN_TOKEN)
                        .body()
                        .contains("\"API-1\""));
        return "API-1";
    }

    /** A reorder press that waited offline for two hours: it waits for an admin's confirmation. */
    private String unconfirmedReorder() throws Exception {
        String payload = "{\"msgId\":\"" + UUID.randomUUID() + "\",\"press\":\"single\",\"at\":\""
                + Instant.now().minus(Duration.ofHours(2)) + "\"}";
        assertEquals(
                ResponseCode.CHANGED,
                coap.post("/button/" + REORDER_BUTTON + "/press", payload.getBytes(StandardCharsets.UTF_8))
                        .getCode());
        JsonNode[] reorders = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            reorders[0] = JSON.readTree(call("GET", "/api/v1/buttons/reorders?state=unconfirmed", GatewayEnv.READ_TOKEN)
                            .body())
                    .get("reorders");
            return !reorders[0].isEmpty();
        });
        return reorders[0].get(0).get("reorderId").asText();
    }

    @Test
    @Order(1)
    void every_route_the_gateway_serves_is_in_the_document() {
        List<String> routes = gateway.gateway().httpRoutes();
        assertTrue(routes.contains("GET /api/v1/summary"), "the router's routes are listed: " + routes);
        List<String> missing = new ArrayList<>();
        for (String route : routes) {
            String[] parts = route.split(" ", 2);
            if (document.path("paths")
                    .path(parts[1])
                    .path(parts[0].toLowerCase())
                    .isMissingNode()) {
                missing.add(route);
            }
        }
        assertEquals(List.of(), missing, "routes served but not in openapi.yaml");
        assertEquals("3.1.0", document.path("openapi").asText());
    }

    @Test
    @Order(2)
    void every_documented_operation_answers_as_documented() throws Exception {
        String read = GatewayEnv.READ_TOKEN;
        String admin = GatewayEnv.ADMIN_TOKEN;
        checkCall("GET", "/api/v1/summary", read, 200);
        checkCall("GET", "/api/v1/summary?from=2026-01-31T08:00:00Z&to=2026-01-31T09:00:00Z", admin, 200);
        checkCall("GET", "/api/v1/summary?from=yesterday", read, 400);
        checkCall("GET", "/api/v1/summary", null, 401);
        checkCall("GET", "/api/v1/events?after=0&limit=10", read, 200);
        checkCall("GET", "/api/v1/events?limit=0", read, 400);
        checkCall("GET", "/api/v1/events", "wrong-token", 401);
        checkCall("GET", "/api/v1/deadletters", read, 200);
        checkCall("GET", "/api/v1/deadletters?after=-1", read, 400);
        checkCall("GET", "/api/v1/deadletters", null, 401);
        checkCall("GET", "/api/v1/openapi.yaml", read, 200);
        checkCall("GET", "/api/v1/openapi.yaml", null, 401);
        checkCall("POST", "/api/v1/events/resend?from=1", read, 403);
        checkCall("POST", "/api/v1/events/resend?from=1", null, 401);
        checkCall("POST", "/api/v1/events/resend?from=0", admin, 400);
        checkCall("POST", "/api/v1/events/resend?from=1", admin, 202);
        checkCall("GET", "/health", null, 200);
        checkCall("GET", "/metrics", null, 200);
        checkCall("GET", "/", null, 200);
        checkCall("GET", "/dashboard/snapshot", null, 200);
        checkStream();
        checkCall("GET", "/api/v1/orders", read, 200);
        checkCall("GET", "/api/v1/orders?state=late&limit=5", read, 200);
        checkCall("GET", "/api/v1/orders?state=lost", read, 400);
        String order = waitingOrder();
        checkCall("GET", "/api/v1/pdas", admin, 200);
        checkCall("GET", "/api/v1/pdas", read, 403);
        checkCall("POST", "/api/v1/orders/" + order + "/release", admin, 409);
        checkCall("POST", "/api/v1/orders/NOPE/release", admin, 404);
        checkCall("POST", "/api/v1/orders/" + order + "/assign", admin, "{}", 400);
        checkCall("POST", "/api/v1/orders/" + order + "/assign", admin, "{\"pdaId\":\"nobody\"}", 400);
        checkCall("POST", "/api/v1/orders/NOPE/assign", admin, "{\"pdaId\":\"pda-1\"}", 404);
        checkCall("POST", "/api/v1/orders/" + order + "/assign", read, "{\"pdaId\":\"pda-1\"}", 403);
        checkCall("POST", "/api/v1/orders/" + order + "/assign", admin, "{\"pdaId\":\"pda-1\"}", 200);
        checkCall("GET", "/api/v1/pdas", admin, 200);
        checkCall("POST", "/api/v1/orders/" + order + "/release", admin, 200);
        checkCall("POST", "/api/v1/orders/no-such-order/cancel", admin, 404);
        checkCall("POST", "/api/v1/orders/no-such-order/cancel", read, 403);
        checkCall("POST", "/api/v1/orders/" + order + "/cancel", admin, 200);
        checkCall("POST", "/api/v1/orders/" + order + "/cancel", admin, 409);
        checkCall("POST", "/api/v1/orders/cancel?state=waiting", admin, 200);
        checkCall("POST", "/api/v1/orders/cancel?state=done", admin, 400);
        checkCall("POST", "/api/v1/orders/cancel?state=waiting", read, 403);
        checkCall("GET", "/api/v1/orders?state=cancelled", read, 200);
        String booking = "{\"movements\":[{\"sku\":\"SKU-1\",\"kind\":\"receiving\",\"qty\":12}],"
                + "\"thresholds\":[{\"sku\":\"SKU-1\",\"threshold\":3}]}";
        checkCall("POST", "/api/v1/stock", admin, booking, 200);
        checkCall("GET", "/api/v1/replenishment", read, 200);
        checkCall("GET", "/api/v1/replenishment?sku=SKU-1", read, 200);
        checkCall("GET", "/api/v1/replenishment", null, 401);
        checkCall("POST", "/api/v1/stock", read, booking, 403);
        checkCall("POST", "/api/v1/stock", admin, "{\"movements\":[{\"sku\":\"SKU-1\",\"kind\":\"gift\"}]}", 400);
        checkCall("GET", "/api/v1/stock?sku=SKU-1", read, 200);
        checkCall("GET", "/api/v1/stock", read, 200);
        String reorderId = unconfirmedReorder();
        checkCall("GET", "/api/v1/buttons/reorders?state=unconfirmed", read, 200);
        checkCall("GET", "/api/v1/buttons/reorders?state=gone", read, 400);
        checkCall("POST", "/api/v1/buttons/reorders/" + reorderId + "/confirm", read, 403);
        checkCall("POST", "/api/v1/buttons/reorders/" + reorderId + "/confirm", admin, 200);
        checkCall("POST", "/api/v1/buttons/reorders/" + reorderId + "/confirm", admin, 409);
        checkCall("GET", "/api/v1/buttons/reorders", read, 200);
        checkCall("GET", "/api/v1/notices", read, 200);
        checkCall("GET", "/api/v1/notices?state=acked", read, 200);
        checkCall("GET", "/api/v1/notices?state=maybe", read, 400);
        checkCall("PUT", "/api/v1/prices/SKU-NEW", admin, "{\"price\":\"2.49\"}", 404);
        checkCall(
                "PUT",
                "/api/v1/prices/SKU-NEW",
                admin,
                "{\"price\":\"2.49\",\"name\":\"Oat milk\",\"currency\":\"EUR\"}",
                200);
        checkCall("PUT", "/api/v1/prices/SKU-NEW", admin, "{\"price\":\"cheap\"}", 400);
        checkCall("PUT", "/api/v1/prices/SKU-NEW", read, "{\"price\":\"2.59\"}", 403);
        checkCall("GET", "/api/v1/labels", read, 200);
        checkCall("GET", "/api/v1/labels?state=pending&limit=10", read, 200);
        checkCall("GET", "/api/v1/labels?flag=broken", read, 400);
        checkCall("POST", "/api/v1/labels/retry", admin, 200);
        checkCall("POST", "/api/v1/labels/retry?labelId=esl-1", read, 403);

        JsonNode deadLetters =
                JSON.readTree(call("GET", "/api/v1/deadletters", read).body());
        assertFalse(deadLetters.get("deadletters").isEmpty(), "the bad press was listed and validated");
        JsonNode events = JSON.readTree(call("GET", "/api/v1/events", read).body());
        assertFalse(events.get("events").isEmpty(), "the press's event was listed and validated");

        List<String> untested = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (METHODS.contains(method) && !exercised.contains(method.toUpperCase() + " " + path.getKey())) {
                    untested.add(method.toUpperCase() + " " + path.getKey());
                }
            }
        }
        assertEquals(List.of(), untested, "documented operations this test did not see succeed");
    }

    @Test
    @Order(3)
    void devices_section_counts_registered_and_online_per_kind() throws Exception {
        press("button-2");
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode devices = JSON.readTree(checkCall("GET", "/api/v1/summary", GatewayEnv.READ_TOKEN, 200)
                                    .body())
                            .get("devices");
                    assertEquals(
                            11,
                            devices.get("button").get("registered").asLong(),
                            "ten configured, one bound by the cloud");
                    assertEquals(
                            3,
                            devices.get("button").get("online").asLong(),
                            "button-1, button-2 and the reorder button pressed");
                    assertEquals(50, devices.get("label").get("registered").asLong());
                    assertEquals(0, devices.get("label").get("online").asLong());
                    assertEquals(0, devices.get("pda").get("online").asLong());
                });
    }

    @Test
    @Order(4)
    void given_a_token_over_its_rate_then_429_with_retry_after_and_the_other_token_is_still_served() throws Exception {
        HttpResponse<String> limited = null;
        for (int i = 0; i < 200 && limited == null; i++) {
            HttpResponse<String> response = call("GET", "/api/v1/events?limit=1", GatewayEnv.ADMIN_TOKEN);
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertEquals(200, response.statusCode(), response.body());
            }
        }
        if (limited == null) {
            fail("200 requests at a rate of 1/s with a burst of 60 were never limited");
        }
        checkAnswer("GET", "/api/v1/events", limited, 429);
        long retryAfter =
                Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        assertEquals("rate-limited", JSON.readTree(limited.body()).get("error").asText());
        assertEquals(
                200,
                call("GET", "/api/v1/events?limit=1", GatewayEnv.READ_TOKEN).statusCode(),
                "the limit is per token");
        assertEquals(200, call("GET", "/health", null).statusCode(), "health is not limited");
    }

    private HttpResponse<String> checkCall(String method, String pathAndQuery, String token, int expected)
            throws Exception {
        return checkCall(method, pathAndQuery, token, null, expected);
    }

    private HttpResponse<String> checkCall(String method, String pathAndQuery, String token, String body, int expected)
            throws Exception {
        HttpResponse<String> response = call(method, pathAndQuery, token, body);
        assertEquals(expected, response.statusCode(), method + " " + pathAndQuery + ": " + response.body());
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        checkAnswer(method, documentedPath(path), response, expected);
        return response;
    }

    /** The document's path for a concrete one: a path segment the document has as {name} matches anything. */
    private String documentedPath(String path) {
        for (Iterator<String> names = document.get("paths").fieldNames(); names.hasNext(); ) {
            String template = names.next();
            if (path.matches(template.replaceAll("\\{[^/]+}", "[^/]+"))) {
                return template;
            }
        }
        return path;
    }

    /** The status is documented for the operation, the media type matches, and a JSON body fits its schema. */
    private void checkAnswer(String method, String path, HttpResponse<String> response, int status) throws Exception {
        JsonNode operation = document.path("paths").path(path).path(method.toLowerCase());
        assertFalse(operation.isMissingNode(), method + " " + path + " is not in the document");
        JsonNode answer = resolve(operation.path("responses").path(Integer.toString(status)));
        assertFalse(answer.isMissingNode(), status + " is not documented for " + method + " " + path);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String mediaType = contentType.split(";")[0].trim();
        JsonNode content = answer.path("content").path(mediaType);
        assertFalse(
                content.isMissingNode(),
                method + " " + path + " " + status + " answered " + contentType + ", documented: "
                        + answer.path("content").fieldNames().next());
        if (mediaType.equals("application/json")) {
            validate(content.get("schema"), JSON.readTree(response.body()), method + " " + path + " " + status);
        }
        if (status / 100 == 2) {
            exercised.add(method + " " + path);
        }
    }

    private void checkStream() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/dashboard/stream"))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body();
                BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            assertEquals(200, response.statusCode());
            assertEquals(
                    "text/event-stream",
                    response.headers().firstValue("Content-Type").orElse(""));
            String line;
            String event = null;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    assertEquals("snapshot", event);
                    JsonNode schema = JSON.createObjectNode().put("$ref", "#/components/schemas/DashboardSnapshot");
                    validate(schema, JSON.readTree(line.substring(6)), "a /dashboard/stream snapshot");
                    exercised.add("GET /dashboard/stream");
                    return;
                }
            }
            fail("the stream ended without a snapshot");
        }
    }

    /** Validates against a schema of the document, its {@code $ref}s resolved within the document. */
    private void validate(JsonNode schema, JsonNode instance, String what) throws Exception {
        ObjectNode standalone = (ObjectNode)
                JSON.readTree(JSON.writeValueAsString(schema).replace("#/components/schemas/", "#/$defs/"));
        standalone.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        standalone.set(
                "$defs",
                JSON.readTree(
                        JSON.writeValueAsString(document.path("components").path("schemas"))
                                .replace("#/components/schemas/", "#/$defs/")));
        Schema validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("urn:retail-edge:openapi"), standalone);
        List<Error> errors = validator.validate(instance);
        assertEquals(
                List.of(),
                errors.stream().map(Error::toString).toList(),
                what + " does not fit the document: " + instance);
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual()) {
            return document.at(ref.asText().substring(1));
        }
        return node;
    }

    private HttpResponse<String> call(String method, String pathAndQuery, String token) throws Exception {
        return call(method, pathAndQuery, token, null);
    }

    private HttpResponse<String> call(String method, String pathAndQuery, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + gateway.env().httpPort() + pathAndQuery);
    }

    private void press(String buttonId) {
        String payload = "{\"msgId\":\"" + UUID.randomUUID() + "\",\"press\":\"single\"}";
        assertEquals(
                ResponseCode.CHANGED,
                coap.post("/button/" + buttonId + "/press", payload.getBytes(StandardCharsets.UTF_8))
                        .getCode());
    }
}
