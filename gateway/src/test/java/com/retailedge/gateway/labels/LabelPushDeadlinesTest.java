package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.app.Gateway;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.store.WriterThread;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.sim.esl.AccessPointSimulator;
import com.retailedge.sim.esl.ApOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every label push ends, whatever the access point does with the request: loses it whole, ACKs it and never answers,
 * or goes silent altogether. A lane never fills with pushes that cannot end, a newer version never waits behind a
 * stuck older one, a label past its deadline frees its slot, and an operator's retry delivers once the access point
 * answers again. Real gateway, real CoAP over UDP, simulated access points.
 */
@Timeout(240)
@Tag("slow")
class LabelPushDeadlinesTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<AccessPointSimulator> aps = new ArrayList<>();
    private final int[] apPorts = {FreePorts.udp(), FreePorts.udp()};
    private GatewayEnv env;
    private Gateway gateway;
    private ApiClient read;

    /** Labels {@code a-1..onOne} on ap-1 and {@code b-1..onTwo} on ap-2, each label its own SKU. */
    private void startGateway(int onOne, int onTwo, Map<String, String> settings) throws Exception {
        env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp());
        // The price lists go in as 400 admin requests back to back, beyond the shipped per-token rate limit.
        env.set("GATEWAY_API_RATE_LIMIT", "100000").set("GATEWAY_API_RATE_BURST", "100000");
        settings.forEach(env::set);
        StringBuilder yaml = new StringBuilder("devices:\n");
        for (int a = 0; a < 2; a++) {
            yaml.append("  - { deviceId: \"ap-")
                    .append(a + 1)
                    .append("\", kind: ap, url: \"coap://127.0.0.1:")
                    .append(apPorts[a])
                    .append("\" }\n");
            for (int n = 1; n <= (a == 0 ? onOne : onTwo); n++) {
                String label = label(a, n);
                yaml.append("  - { deviceId: \"")
                        .append(label)
                        .append("\", kind: label, sku: \"SKU-")
                        .append(label)
                        .append("\", ap: \"ap-")
                        .append(a + 1)
                        .append("\" }\n");
            }
        }
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, yaml);
        Map<String, String> environment = new HashMap<>(env.asMap());
        environment.remove("GATEWAY_DEVICES");
        gateway = new Gateway(new ConfigLoader(environment).load(config));
        gateway.start();
        read = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
    }

    private static String label(int ap, int n) {
        return (ap == 0 ? "a-" : "b-") + n;
    }

    private AccessPointSimulator startAp(int ap, UnaryOperator<ApOptions> setup) {
        String prefix = ap == 0 ? "a-" : "b-";
        AccessPointSimulator sim = new AccessPointSimulator(setup.apply(
                ApOptions.simple("ap-" + (ap + 1), id -> id.startsWith(prefix), "coap://127.0.0.1:" + env.coapPort())
                        .withPort(apPorts[ap])));
        sim.start();
        aps.add(sim);
        return sim;
    }

    private void stopAp(AccessPointSimulator sim) {
        sim.close();
        aps.remove(sim);
    }

    @AfterEach
    void stop() {
        aps.forEach(AccessPointSimulator::close);
        if (gateway != null) {
            gateway.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(
                request.timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + GatewayEnv.ADMIN_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void price(String sku, String price) throws Exception {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + "/api/v1/prices/" + sku))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + sku + "\",\"price\":\"" + price + "\",\"currency\":\"EUR\"}")));
        assertEquals(200, r.statusCode(), r.body());
    }

    private int retry() throws Exception {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + "/api/v1/labels/retry"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, r.statusCode(), r.body());
        return ApiClient.parse(r.body()).get("retried").asInt();
    }

    private JsonNode summary() {
        return read.json("/api/v1/summary").get("labels");
    }

    private double inFlight() {
        return read.metric("gateway_label_push_in_flight", Map.of());
    }

    private JsonNode labelState(String labelId) {
        JsonNode page = read.json("/api/v1/labels?limit=1000");
        for (JsonNode l : page.get("labels")) {
            if (l.get("labelId").asText().equals(labelId)) {
                return l;
            }
        }
        throw new AssertionError("no label " + labelId);
    }

    private static String priceOf(int ap, int n) {
        return String.format("%d.%02d", 1 + ap, n % 100);
    }

    @Test
    void a_400_label_price_list_reaches_every_label_through_two_access_points_that_lose_a_tenth_of_the_requests()
            throws Exception {
        long violations = WriterThread.violations();
        // Short CoAP timers so the lost requests are found out in about two seconds each.
        startGateway(
                200,
                200,
                Map.of(
                        "GATEWAY_LABELS_ACK_TIMEOUT",
                        "200ms",
                        "GATEWAY_LABELS_COAP_RETRANSMITS",
                        "2",
                        "GATEWAY_LABELS_RETRY_MAX",
                        "2s"));
        long started = System.nanoTime();
        AccessPointSimulator one = startAp(0, ap -> ap.withRequestLoss(0.10));
        AccessPointSimulator two = startAp(1, ap -> ap.withRequestLoss(0.10));
        for (int a = 0; a < 2; a++) {
            for (int n = 1; n <= 200; n++) {
                price("SKU-" + label(a, n), priceOf(a, n));
            }
        }
        await("every label current, none pending")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> summary().get("current").asLong() == 400
                        && summary().get("pending").asLong() == 0);
        assertEquals(0, summary().get("failed").asLong(), summary().toString());
        System.out.printf(
                "400 labels current in %.1f s; PUTs %d + %d, unheard %d + %d, ACKed only %d + %d, retried %.0f%n",
                (System.nanoTime() - started) / 1e9,
                one.puts(),
                two.puts(),
                one.unheard(),
                two.unheard(),
                one.ackedOnly(),
                two.ackedOnly(),
                read.metric("gateway_label_pushes_total", Map.of("outcome", "retried")));
        for (int a = 0; a < 2; a++) {
            AccessPointSimulator sim = a == 0 ? one : two;
            for (int n = 1; n <= 200; n++) {
                assertEquals(
                        priceOf(a, n), sim.content(label(a, n)).get("price").asText(), label(a, n));
                assertEquals(1, sim.shown(label(a, n)), label(a, n));
            }
            assertTrue(
                    sim.unheard() > 0 && sim.ackedOnly() > 0,
                    "both ways of losing a request happened: unheard " + sim.unheard() + ", ACKed only "
                            + sim.ackedOnly());
        }
        await("nothing left on the air").atMost(WAIT).until(() -> inFlight() == 0);
        assertTrue(
                read.metric("gateway_label_pushes_total", Map.of("outcome", "retried"))
                        >= one.unheard() + one.ackedOnly() + two.unheard() + two.ackedOnly(),
                "every lost request was tried again");
        assertEquals(violations, WriterThread.violations(), "no push was sent from the writer thread");
    }

    @Test
    void pushes_to_a_silent_access_point_fail_with_their_reason_and_an_operators_retry_delivers_them_later()
            throws Exception {
        startGateway(
                12,
                0,
                Map.of(
                        "GATEWAY_LABELS_ACK_TIMEOUT",
                        "200ms",
                        "GATEWAY_LABELS_COAP_RETRANSMITS",
                        "2",
                        "GATEWAY_LABELS_PUSH_ATTEMPTS",
                        "2",
                        "GATEWAY_LABELS_RETRY_MAX",
                        "1s",
                        "GATEWAY_LABELS_MAX_IN_FLIGHT",
                        "4"));
        AccessPointSimulator silent = startAp(0, ap -> ap.withSilence(true));
        for (int n = 1; n <= 12; n++) {
            price("SKU-" + label(0, n), "0.50");
        }
        await("every label failed, not stuck pending")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> summary().get("failed").asLong() == 12);
        assertEquals(0, summary().get("pending").asLong());
        String reason = labelState("a-1").get("reason").asText();
        assertTrue(reason.startsWith("ap-unreachable:") && reason.contains("acknowledged but no response"), reason);
        assertTrue(silent.ackedOnly() >= 24, "twelve labels, two attempts each, all ACKed: " + silent.ackedOnly());
        assertEquals(0, inFlight(), "the lane is free");

        stopAp(silent);
        AccessPointSimulator answering = startAp(0, UnaryOperator.identity());
        assertEquals(12, retry());
        await("delivered on the operator's retry")
                .atMost(WAIT)
                .until(() -> summary().get("current").asLong() == 12);
        assertEquals("0.50", answering.content("a-12").get("price").asText());
    }

    @Test
    void a_label_past_its_deadline_frees_its_slot() throws Exception {
        // A long response deadline (about 22 s) and many attempts: only labels.deadline ends these pushes early.
        startGateway(
                2,
                0,
                Map.of(
                        "GATEWAY_LABELS_ACK_TIMEOUT",
                        "1s",
                        "GATEWAY_LABELS_COAP_RETRANSMITS",
                        "3",
                        "GATEWAY_LABELS_MAX_IN_FLIGHT",
                        "2",
                        "GATEWAY_LABELS_DEADLINE",
                        "3s"));
        startAp(0, ap -> ap.withSilence(true));
        price("SKU-a-1", "1.00");
        price("SKU-a-2", "1.00");
        await("both stuck pushes on the air").atMost(WAIT).until(() -> inFlight() == 2);
        await("the deadline fails them")
                .atMost(WAIT)
                .until(() -> summary().get("failed").asLong() == 2);
        assertTrue(
                labelState("a-1").get("reason").asText().startsWith("deadline:"),
                labelState("a-1").toString());
        await("and frees their slots at once, long before the response deadline")
                .atMost(Duration.ofSeconds(10))
                .until(() -> inFlight() == 0);
    }

    @Test
    void a_newer_version_does_not_wait_behind_an_older_one_stuck_on_the_air() throws Exception {
        // An older push that would stay on the air for about 45 s: ACKed by an access point that then lost it.
        startGateway(1, 0, Map.of("GATEWAY_LABELS_ACK_TIMEOUT", "2s", "GATEWAY_LABELS_COAP_RETRANSMITS", "3"));
        AccessPointSimulator silent = startAp(0, ap -> ap.withSilence(true));
        price("SKU-a-1", "1.00");
        await("v1 ACKed and stuck").atMost(WAIT).until(() -> silent.ackedOnly() == 1 && inFlight() == 1);
        stopAp(silent);
        AccessPointSimulator back = startAp(0, UnaryOperator.identity());
        long changed = System.nanoTime();
        price("SKU-a-1", "1.10");
        await("v2 shown").atMost(Duration.ofSeconds(20)).until(() -> back.shown("a-1") == 2);
        long tookMs = (System.nanoTime() - changed) / 1_000_000;
        assertTrue(tookMs < 20_000, "v2 did not wait for v1's response deadline: " + tookMs + " ms");
        assertEquals("1.10", back.content("a-1").get("price").asText());
        await("current")
                .atMost(WAIT)
                .until(() -> labelState("a-1").get("state").asText().equals("current"));
        assertEquals(0, inFlight());
    }
}
