package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.testsupport.GatewayEnv;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The gateway's HTTP side as the cloud and the store staff use it: {@code /health} and the events API. */
final class GatewayHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String base;

    GatewayHttp(GatewayEnv env) {
        this.base = "http://127.0.0.1:" + env.httpPort();
    }

    /** The body of {@code GET /health}, whatever its status code. */
    JsonNode health() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/health"))
                .timeout(TIMEOUT)
                .GET()
                .build();
        return JSON.readTree(
                http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Every stored event, paging through {@code GET /api/v1/events} with the cloud's read token. */
    List<JsonNode> allEvents() throws IOException, InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        long after = 0;
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(base + "/api/v1/events?after=" + after + "&limit=1000"))
                    .header("Authorization", "Bearer " + GatewayEnv.READ_TOKEN)
                    .timeout(TIMEOUT)
                    .GET()
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET /api/v1/events answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode page = JSON.readTree(response.body());
            if (page.path("events").isEmpty()) {
                return events;
            }
            page.get("events").forEach(events::add);
            after = page.path("next").asLong();
        }
    }
}
