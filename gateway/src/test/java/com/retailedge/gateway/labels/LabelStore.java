package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.app.Gateway;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.sim.esl.AccessPointSimulator;
import com.retailedge.sim.esl.ApOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * A test store for labels: a real gateway (no cloud reachable, as in a store that is offline) whose config file
 * binds {@code esl-1..N} to one SKU on access point {@code ap-1}, and a simulated access point on a port fixed
 * up front, so it can be stopped and started again on the same address. The gateway can be restarted on its data.
 */
final class LabelStore implements AutoCloseable {
    static final String SKU = "MILK-1";

    private final GatewayEnv env;
    private final Path configFile;
    private final int apPort;
    private final ApOptions apOptions;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Gateway gateway;
    private AccessPointSimulator ap;
    final ApiClient read;

    private LabelStore(Path dir, int labels, Map<String, String> overrides, UnaryOperator<ApOptions> apSetup)
            throws IOException {
        env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp());
        overrides.forEach(env::set);
        apPort = FreePorts.udp();
        configFile = dir.resolve("gateway.yaml");
        apOptions = apSetup.apply(
                ApOptions.simple("ap-1", id -> id.startsWith("esl-"), "coap://127.0.0.1:" + env.coapPort())
                        .withPort(apPort));
        String scheme = apOptions.dtls() == null ? "coap" : "coaps"; // an access point served over DTLS
        Files.writeString(
                configFile,
                "devices:\n"
                        + "  - { deviceId: \"ap-1\", kind: ap, url: \"" + scheme + "://127.0.0.1:" + apPort + "\" }\n"
                        + "  - { deviceId: \"esl-{n}\", kind: label, count: " + labels + ", sku: \"" + SKU
                        + "\", ap: \"ap-1\" }\n");
        read = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
    }

    static LabelStore start(Path dir, int labels, Map<String, String> overrides, UnaryOperator<ApOptions> apSetup)
            throws Exception {
        LabelStore store = new LabelStore(dir, labels, overrides, apSetup);
        store.startGateway();
        return store;
    }

    void startGateway() throws Exception {
        Map<String, String> environment = new HashMap<>(env.asMap());
        environment.remove("GATEWAY_DEVICES"); // the config file's devices, with their bindings, instead
        gateway = new Gateway(new ConfigLoader(environment).load(configFile));
        gateway.start();
    }

    void stopGateway() {
        gateway.close();
        gateway = null;
    }

    AccessPointSimulator startAp() {
        ap = new AccessPointSimulator(apOptions);
        ap.start();
        return ap;
    }

    void stopAp() {
        ap.close();
        ap = null;
    }

    AccessPointSimulator ap() {
        return ap;
    }

    /** PUT /api/v1/prices/{sku} with the admin token; returns the status and body. */
    HttpResponse<String> putPrice(String sku, String json) {
        return putPrice(sku, json, GatewayEnv.ADMIN_TOKEN);
    }

    HttpResponse<String> putPrice(String sku, String json, String token) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + env.httpPort() + "/api/v1/prices/" + sku))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST with no body and this token. */
    HttpResponse<String> post(String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode price(String price) {
        HttpResponse<String> r =
                putPrice(SKU, "{\"name\":\"Milk 1l\",\"price\":\"" + price + "\",\"currency\":\"EUR\"}");
        if (r.statusCode() != 200) {
            throw new AssertionError("price change answered " + r.statusCode() + ": " + r.body());
        }
        return ApiClient.parse(r.body());
    }

    JsonNode labelsSummary() {
        return read.json("/api/v1/summary").get("labels");
    }

    /** Every bound label the API lists (optionally of one state or flag), following its cursor. */
    List<JsonNode> labels(String query) {
        List<JsonNode> all = new ArrayList<>();
        String after = "";
        while (true) {
            JsonNode page =
                    read.json("/api/v1/labels?limit=1000&after=" + after + (query.isEmpty() ? "" : "&" + query));
            if (page.get("labels").isEmpty()) {
                return all;
            }
            page.get("labels").forEach(all::add);
            after = page.get("next").asText();
        }
    }

    JsonNode label(String labelId) {
        return labels("").stream()
                .filter(l -> l.get("labelId").asText().equals(labelId))
                .findFirst()
                .orElseThrow();
    }

    long currentCount() {
        return labelsSummary().get("current").asLong();
    }

    @Override
    public void close() {
        if (ap != null) {
            ap.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }
}
