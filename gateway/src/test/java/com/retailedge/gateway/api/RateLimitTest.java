package com.retailedge.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token bucket over real HTTP with a clock the test moves: a burst is served, the next request gets 429
 * with the seconds until a token is back, time refills at the configured rate, and each token has its own
 * bucket. Failed token checks are limited per client address, before any token is looked at.
 */
@Timeout(30)
class RateLimitTest {
    private static final int FAILURES = 10;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/api/*")
                .handler(new BearerAuth("read", "admin", new AuthFailures(FAILURES, nanos::get)))
                .handler(new RateLimit(2, 3, nanos::get));
        router.get("/api/v1/ping").handler(ctx -> ctx.response().end("{}"));
        server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void a_burst_is_served_then_429_until_the_rate_refills_and_each_token_has_its_own_bucket() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("read").statusCode(), "burst request " + i);
        }
        HttpResponse<String> limited = get("read");
        assertEquals(429, limited.statusCode());
        assertEquals("1", limited.headers().firstValue("Retry-After").orElse(""), "a token is back in 0.5 s: say 1 s");
        assertTrue(limited.body().contains("\"error\":\"rate-limited\""), limited.body());
        assertEquals(200, get("admin").statusCode(), "the admin token's bucket is full");

        nanos.addAndGet(400_000_000L);
        assertEquals(429, get("read").statusCode(), "0.4 s at 2/s is not a whole token yet");
        nanos.addAndGet(100_000_000L);
        assertEquals(200, get("read").statusCode(), "0.5 s at 2/s is one token");
        assertEquals(429, get("read").statusCode());

        nanos.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("read").statusCode(), "a quiet minute refills only up to the burst");
        }
        assertEquals(429, get("read").statusCode());
        assertEquals(401, get("nobody").statusCode(), "a wrong token is refused before any bucket");
    }

    @Test
    void an_address_that_keeps_failing_the_token_check_gets_429_even_with_a_good_token_until_it_may_try_again()
            throws Exception {
        for (int i = 0; i < FAILURES; i++) {
            assertEquals(401, get("guess-" + i).statusCode(), "failure " + i + " is still answered 401");
        }
        HttpResponse<String> blocked = get("guess-next");
        assertEquals(429, blocked.statusCode(), blocked.body());
        assertEquals(
                Integer.toString(AuthFailures.REFILL_SECONDS),
                blocked.headers().firstValue("Retry-After").orElse(""));
        assertTrue(blocked.body().contains("\"error\":\"rate-limited\""), blocked.body());
        assertEquals(429, get("read").statusCode(), "a right guess now is not told apart from a wrong one");

        nanos.addAndGet(AuthFailures.REFILL_SECONDS * 1_000_000_000L - 1_000_000L);
        assertEquals(
                429,
                get("read").statusCode(),
                "not yet: one failure comes back per " + AuthFailures.REFILL_SECONDS + " s");
        nanos.addAndGet(1_000_000L);
        assertEquals(200, get("read").statusCode(), "one try is back");
        assertEquals(401, get("guess-again").statusCode(), "and spent by a wrong token");
        assertEquals(429, get("read").statusCode());
    }

    private HttpResponse<String> get(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + "/api/v1/ping"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
