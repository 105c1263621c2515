package com.retailedge.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API of a running gateway over real HTTP (CONTRACT §5): bearer tokens on {@code /api/*}, open
 * health, metrics and dashboard, event paging by sequence and the summary window.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class HttpApiTest {
    private static final List<String> API_PATHS = List.of("/api/v1/events", "/api/v1/deadletters", "/api/v1/summary");

    @TempDir
    static Path dir;

    private InProcessGateway gateway;
    private CoapDevice coap;
    private ApiClient read;
    private ApiClient anonymous;

    @BeforeAll
    void start() throws Exception {
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp());
        gateway = InProcessGateway.start(env);
        coap = new CoapDevice(env.coapPort());
        read = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
        anonymous = new ApiClient(env.httpPort(), null);
    }

    @AfterAll
    void stop() {
        if (coap != null) {
            coap.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static Stream<Arguments> refusedCredentials() {
        List<Arguments> cases = new ArrayList<>();
        for (String path : API_PATHS) {
            cases.add(Arguments.of(path, null));
            cases.add(Arguments.of(path, "Bearer wrong-token"));
            cases.add(Arguments.of(path, "Bearer " + GatewayEnv.READ_TOKEN + "x"));
            cases.add(Arguments.of(path, "Bearer " + GatewayEnv.READ_TOKEN.substring(1)));
            cases.add(Arguments.of(path, GatewayEnv.READ_TOKEN));
            cases.add(Arguments.of(path, "Basic " + GatewayEnv.READ_TOKEN));
            cases.add(Arguments.of(path, "Bearer "));
        }
        cases.add(Arguments.of("/api/v1/no-such-thing", null));
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} with Authorization: {1} -> 401")
    @MethodSource("refusedCredentials")
    void given_a_missing_or_wrong_token_then_the_api_answers_401_with_a_json_error_and_nothing_else(
            String path, String authorization) {
        HttpResponse<String> response = read.get(path, authorization);
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = ApiClient.parse(response.body());
        assertEquals("unauthorized", body.get("error").asText());
        assertEquals(Set.of("error", "message"), fieldNames(body), "nothing else is disclosed");
    }

    @ParameterizedTest(name = "{0} with the read token and with the admin token -> 200")
    @ValueSource(strings = {"/api/v1/events", "/api/v1/deadletters", "/api/v1/summary"})
    void given_either_token_then_the_api_answers(String path) {
        for (String token : List.of(GatewayEnv.READ_TOKEN, GatewayEnv.ADMIN_TOKEN)) {
            HttpResponse<String> response = read.get(path, "Bearer " + token);
            assertEquals(200, response.statusCode(), token + ": " + response.body());
            assertTrue(ApiClient.parse(response.body()).isObject());
        }
        assertEquals(
                200, read.get(path, "bearer " + GatewayEnv.READ_TOKEN).statusCode(), "the scheme is case-insensitive");
    }

    @Test
    void health_needs_no_token_and_says_UP() {
        HttpResponse<String> response = anonymous.get("/health");
        assertEquals(200, response.statusCode());
        JsonNode health = ApiClient.parse(response.body());
        assertEquals("UP", health.get("status").asText());
    }

    @Test
    void metrics_need_no_token_and_are_prometheus_text_with_the_outbox_gauge() {
        HttpResponse<String> response = anonymous.get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(response.body().contains("# TYPE gateway_outbox_pending_events gauge"), response.body());
        assertTrue(
                response.body().lines().anyMatch(l -> l.matches("gateway_outbox_pending_events(\\{.*})? [0-9.eE+-]+")),
                "a sample line for gateway_outbox_pending_events");
        int fleet = new ConfigLoader(Map.of("GATEWAY_DEVICES", GatewayEnv.DEVICES))
                .load(null).devices().stream()
                        .mapToInt(d -> Math.max(1, d.count()))
                        .sum();
        assertEquals(fleet, anonymous.metric("gateway_devices_registered", Map.of()), "the test fleet is registered");
    }

    @Test
    void the_dashboard_is_served_at_the_root_without_a_token() {
        HttpResponse<String> response = anonymous.get("/");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(response.body().contains("<html") && response.body().contains("Store gateway"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> 400")
    @ValueSource(
            strings = {
                "/api/v1/events?limit=1001",
                "/api/v1/events?limit=0",
                "/api/v1/events?limit=ten",
                "/api/v1/events?after=-1",
                "/api/v1/events?after=1.5",
                "/api/v1/deadletters?limit=1001",
                "/api/v1/summary?from=yesterday",
                "/api/v1/summary?from=2026-01-31",
                "/api/v1/summary?to=2026-13-01T00:00:00Z",
                "/api/v1/summary?from=2026-01-31T10:00:00Z&to=2026-01-31T09:00:00Z",
                "/api/v1/summary?from=2026-01-31T10:00:00Z&to=2026-01-31T10:00:00Z",
            })
    void given_a_bad_parameter_then_the_answer_is_400_with_a_json_error(String pathAndQuery) {
        HttpResponse<String> response = read.get(pathAndQuery);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(
                "bad-parameter", ApiClient.parse(response.body()).get("error").asText());
    }

    @Test
    void given_a_limit_of_1000_then_it_is_accepted() {
        assertEquals(200, read.get("/api/v1/events?limit=1000").statusCode());
    }

    @Test
    void given_stored_events_when_paged_with_after_and_limit_then_they_come_in_sequence_order_with_a_next_cursor() {
        for (int i = 1; i <= 7; i++) {
            press("button-" + i);
        }
        List<JsonNode> all = read.events();
        assertTrue(all.size() >= 7, "at least the seven presses: " + all.size());
        long last = all.get(all.size() - 1).get("sequence").asLong();

        List<JsonNode> paged = new ArrayList<>();
        long after = 0;
        for (int pages = 0; pages < 100; pages++) {
            JsonNode page = read.json("/api/v1/events?after=" + after + "&limit=3");
            JsonNode events = page.get("events");
            assertTrue(events.size() <= 3);
            if (events.isEmpty()) {
                assertEquals(after, page.get("next").asLong(), "past the end the cursor stays put");
                break;
            }
            for (JsonNode e : events) {
                assertEquals(after + 1, e.get("sequence").asLong(), "gap-free and in order after " + after);
                after = e.get("sequence").asLong();
                paged.add(e);
            }
            assertEquals(after, page.get("next").asLong(), "next is the last sequence of the page");
        }
        assertEquals(last, after);
        assertEquals(all, paged, "paging three at a time gives the same events as one big page");

        JsonNode tail = read.json("/api/v1/events?after=" + (last - 2) + "&limit=1000");
        assertEquals(2, tail.get("events").size());
        assertEquals(last - 1, tail.get("events").get(0).get("sequence").asLong());

        JsonNode event = all.get(0);
        for (String attribute : List.of("specversion", "id", "source", "type", "time", "subject", "data", "sequence")) {
            assertTrue(event.has(attribute), attribute + " in " + event);
        }
    }

    @Test
    void given_events_in_a_window_then_the_summary_counts_them_by_type() {
        Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Events of earlier tests are strictly before the window.
        await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > from.toEpochMilli() + 1);
        Instant windowStart = from.plusMillis(1);
        press("button-8");
        press("button-9");
        press("button-10");
        labelStatus("esl-41", 3);
        labelStatus("esl-42", 3);
        labelStatus("esl-42", 3); // same version again: a check-in, not an update
        Instant to = Instant.now().plusSeconds(1);

        JsonNode summary = read.json("/api/v1/summary?from=" + windowStart + "&to=" + to);
        assertEquals(windowStart.toString(), summary.get("from").asText());
        assertEquals(to.toString(), summary.get("to").asText());
        JsonNode events = summary.get("events");
        assertEquals(3, events.path("retail.button.pressed").asLong(), summary.toString());
        assertEquals(2, events.path("retail.label.updated").asLong(), summary.toString());
        assertEquals(Set.of("retail.button.pressed", "retail.label.updated"), fieldNames(events));
        assertEquals(50, summary.get("labels").get("total").asLong());
        assertTrue(summary.get("outbox").get("pending").asLong() >= 5, "no cloud: everything is still pending");
        for (String section : List.of("stock", "members", "orders", "labels", "outbox")) {
            assertTrue(summary.has(section), section);
        }

        JsonNode before = read.json("/api/v1/summary?from=" + windowStart.minusSeconds(3600) + "&to=" + windowStart);
        assertFalse(before.get("events").has("retail.label.updated"), "events after the window are not counted in it");
    }

    private void press(String buttonId) {
        String payload = "{\"msgId\":\"" + UUID.randomUUID() + "\",\"press\":\"single\"}";
        assertEquals(
                ResponseCode.CHANGED,
                coap.post("/button/" + buttonId + "/press", payload.getBytes(StandardCharsets.UTF_8))
                        .getCode());
    }

    private void labelStatus(String labelId, int version) {
        String payload = "{\"msgId\":\"" + UUID.randomUUID() + "\",\"version\":" + version + ",\"battery\":80}";
        assertEquals(
                ResponseCode.CHANGED,
                coap.post("/esl/" + labelId + "/status", payload.getBytes(StandardCharsets.UTF_8))
                        .getCode());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
