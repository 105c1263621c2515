package com.retailedge.gateway.app;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code --health-check URL}: the container's health check made with the jar itself, so the image needs no
 * {@code wget} or {@code curl}. Exit 0 on 200, 1 on anything else, within a few seconds.
 */
final class HealthProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    private HealthProbe() {}

    static int probe(String url, PrintStream err) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(TIMEOUT)
                    .GET()
                    .build();
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return 0;
            }
            err.println("gateway: " + url + " answered " + status);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println(
                    "gateway: " + url + " did not answer: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }
}
