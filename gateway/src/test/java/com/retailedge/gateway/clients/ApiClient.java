package com.retailedge.gateway.clients;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real HTTP client for a test gateway's REST API, with timeouts on every call. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;

    public ApiClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** GET with this client's bearer token (none when it is null). */
    public HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, token == null ? null : "Bearer " + token);
    }

    /** GET with exactly this Authorization header (none when it is null). */
    public HttpResponse<String> get(String pathAndQuery, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET that must answer 200 with JSON. */
    public JsonNode json(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    "GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** Every dead letter the API lists, following its cursor. */
    public List<Map<String, Object>> deadLetters() {
        List<Map<String, Object>> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = json("/api/v1/deadletters?after=" + after + "&limit=1000");
            List<Map<String, Object>> rows = JSON.convertValue(page.get("deadletters"), new TypeReference<>() {});
            if (rows.isEmpty()) {
                return all;
            }
            all.addAll(rows);
            after = page.get("next").asLong();
        }
    }

    /** Every stored event the API lists, following its cursor. */
    public List<JsonNode> events() {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = json("/api/v1/events?after=" + after + "&limit=1000");
            if (page.get("events").isEmpty()) {
                return all;
            }
            page.get("events").forEach(all::add);
            after = page.get("next").asLong();
        }
    }

    /**
     * The value of a Prometheus sample of {@code /metrics} whose labels include {@code labels}; 0 when there is
     * none yet. Samples of the same name and labels are summed.
     */
    public double metric(String name, Map<String, String> labels) {
        HttpResponse<String> response = get("/metrics", null);
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        double sum = 0;
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new java.util.HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    found.put(l.group(1), l.group(2));
                }
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
