package com.retailedge.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.spi.SummarySection;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server against clients that misbehave, over real sockets to an in-process gateway: a slow summary
 * does not hold up {@code /health}, half-sent requests and idle connections are closed in bounded time,
 * connections and dashboard streams are capped, bodies over the limit get 413 and writes with the read token
 * 403 before any body is read, and every error (also 404, 405, 414 outside the routes) is JSON
 * {@code {error, message}} with the security headers.
 */
@Timeout(120)
@Tag("slow")
class HttpHardeningTest {
    private static final byte[] STREAM_REQUEST =
            "GET /dashboard/stream HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(US_ASCII);
    private static final Set<String> ERROR_SHAPE = Set.of("error", "message");
    /** A summary for a window starting here waits in its section until the test lets it go. */
    private static final Instant SLOW_FROM = Instant.parse("2001-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayEnv env(String name) {
        return new GatewayEnv(dir.resolve(name), "tcp://127.0.0.1:" + FreePorts.tcp());
    }

    @Test
    void health_and_metrics_answer_while_slow_summaries_hold_the_api_workers() throws Exception {
        CountDownLatch entered = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        SummarySection slow = new SummarySection() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public Object compute(Connection c, long fromMs, long toMs) throws java.sql.SQLException {
                if (fromMs == SLOW_FROM.toEpochMilli()) {
                    entered.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Map.of();
            }
        };
        try (InProcessGateway gateway = InProcessGateway.start(
                        env("slow"), Capability.named("slow").summary(slow).build());
                CoapDevice coap = new CoapDevice(gateway.env().coapPort())) {
            int port = gateway.env().httpPort();
            // An event waits for the (absent) cloud, so /health has to read its age from the database.
            coap.post("/button/button-1/press", ("{\"msgId\":\"slow-1\",\"press\":\"single\"}").getBytes(US_ASCII));
            ApiClient anonymous = new ApiClient(port, null);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> anonymous.json("/health").at("/outbox/pending").asLong() > 0);
            List<CompletableFuture<HttpResponse<String>>> summaries = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                summaries.add(http.sendAsync(
                        request(port, "/api/v1/summary?from=" + SLOW_FROM + "&to=2001-01-02T00:00:00Z")
                                .header("Authorization", "Bearer " + GatewayEnv.READ_TOKEN)
                                .timeout(Duration.ofSeconds(90))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            try {
                // Ordered blocking work would run one summary at a time: three at once proves they are unordered.
                // The three also hold every connection of the API's read pool.
                assertTrue(entered.await(30, TimeUnit.SECONDS), "three summaries run at the same time");
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> health = http.send(
                            request(port, "/health")
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(200, health.statusCode(), health.body());
                    assertTrue(
                            ApiClient.parse(health.body())
                                            .at("/outbox/oldestPendingAgeSeconds")
                                            .asDouble()
                                    >= 0,
                            "the age was read, not given up on: " + health.body());
                    assertTrue(ms < 3000, "/health took " + ms + " ms behind the slow summaries");
                    assertEquals(
                            200,
                            http.send(
                                            request(port, "/metrics")
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode());
                }
                assertTrue(summaries.stream().noneMatch(CompletableFuture::isDone), "the summaries were still running");
            } finally {
                release.countDown();
            }
            for (CompletableFuture<HttpResponse<String>> summary : summaries) {
                HttpResponse<String> answer = summary.get(60, TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
                assertTrue(ApiClient.parse(answer.body()).has("slow"));
            }
        }
    }

    @Test
    void two_hundred_half_sent_requests_are_closed_within_the_header_timeout_and_others_are_served_meanwhile()
            throws Exception {
        GatewayEnv env =
                env("slowloris").set("GATEWAY_HTTP_HEADER_TIMEOUT", "2s").set("GATEWAY_HTTP_IDLE_TIMEOUT", "3s");
        try (InProcessGateway gateway = InProcessGateway.start(env)) {
            int port = gateway.env().httpPort();
            List<SocketChannel> slow = new ArrayList<>();
            long opened = System.nanoTime();
            try {
                for (int i = 0; i < 200; i++) {
                    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                    channel.write(ByteBuffer.wrap(
                            ("GET /health HTTP/1.1\r\nHost: gw\r\nX-Slow-" + i + ": ").getBytes(US_ASCII)));
                    channel.configureBlocking(false);
                    slow.add(channel);
                }
                HttpResponse<String> served = http.send(
                        request(port, "/health").timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, served.statusCode(), "a normal client is served while 200 hold half a request");
                // Every channel sends one more byte every 250 ms, so the idle timeout alone would never end them.
                AtomicInteger closed = new AtomicInteger();
                long[] closedAtMs = new long[slow.size()];
                await("all 200 slow clients closed")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            for (int i = 0; i < slow.size(); i++) {
                                if (closedAtMs[i] == 0 && isClosedByServer(slow.get(i))) {
                                    closedAtMs[i] = (System.nanoTime() - opened) / 1_000_000;
                                    closed.incrementAndGet();
                                }
                            }
                            return closed.get() == slow.size();
                        });
                long last = java.util.Arrays.stream(closedAtMs).max().orElse(0);
                long first = java.util.Arrays.stream(closedAtMs).min().orElse(0);
                System.out.printf(
                        "slowloris: 200 connections closed %d..%d ms after opening (header timeout 2 s)%n",
                        first, last);
                assertTrue(first >= 1500, "not before the header timeout: " + first + " ms");
                assertTrue(last < 15_000, "the last was closed after " + last + " ms");
            } finally {
                for (SocketChannel channel : slow) {
                    channel.close();
                }
            }

            // A keep-alive connection left idle after its answer is closed too.
            try (Socket idle = new Socket("127.0.0.1", port)) {
                idle.setSoTimeout(30_000);
                idle.getOutputStream().write("GET /health HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(US_ASCII));
                RawResponse first = RawResponse.read(idle.getInputStream());
                assertEquals(200, first.status());
                long start = System.nanoTime();
                assertEquals(-1, idle.getInputStream().read(), "closed by the gateway, not answered again");
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("idle keep-alive connection closed after %d ms (idle timeout 3 s)%n", ms);
                assertTrue(ms >= 2500 && ms < 15_000, "closed after " + ms + " ms");
            }
        }
    }

    @Test
    void connections_and_dashboard_streams_are_capped_and_freed_when_clients_leave() throws Exception {
        GatewayEnv env = env("caps")
                .set("GATEWAY_HTTP_MAX_CONNECTIONS", "12")
                .set("GATEWAY_HTTP_MAX_STREAMS", "2")
                .set("GATEWAY_HTTP_HEADER_TIMEOUT", "60s");
        try (InProcessGateway gateway = InProcessGateway.start(env)) {
            int port = gateway.env().httpPort();
            List<Socket> streams = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    streams.add(openStream(port));
                }
                try (Socket third = new Socket("127.0.0.1", port)) {
                    third.setSoTimeout(10_000);
                    third.getOutputStream()
                            .write("GET /dashboard/stream HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(US_ASCII));
                    RawResponse refused = RawResponse.read(third.getInputStream());
                    assertEquals(503, refused.status(), refused.body());
                    assertEquals(
                            "busy",
                            assertErrorShape(refused.body()).get("error").asText());
                }
                streams.remove(0).close();
                await("a stream is free again")
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            try (Socket s = new Socket("127.0.0.1", port)) {
                                s.setSoTimeout(10_000);
                                s.getOutputStream().write(STREAM_REQUEST);
                                return RawResponse.readHead(s.getInputStream()) == 200;
                            }
                        });
            } finally {
                for (Socket s : streams) {
                    s.close();
                }
            }

            List<Socket> held = new ArrayList<>();
            try {
                // Connections closed above may take a moment to be counted as closed: fill up to the cap by trying.
                await("the connection cap is reached")
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            Socket s = new Socket("127.0.0.1", port);
                            s.setSoTimeout(300);
                            if (isOpen(s)) {
                                held.add(s);
                                return false;
                            }
                            s.close();
                            return true;
                        });
                assertTrue(held.size() <= 12, held.size() + " connections held");
                for (int i = 0; i < 3; i++) {
                    held.remove(0).close();
                }
                await("served again once clients left")
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            try {
                                return http.send(
                                                        request(port, "/health")
                                                                .timeout(Duration.ofSeconds(5))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString())
                                                .statusCode()
                                        == 200;
                            } catch (IOException e) {
                                return false;
                            }
                        });
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void bodies_roles_windows_and_paths_outside_the_routes_get_json_errors_with_security_headers() throws Exception {
        try (InProcessGateway gateway = InProcessGateway.start(env("errors"))) {
            int port = gateway.env().httpPort();
            String admin = "Authorization: Bearer " + GatewayEnv.ADMIN_TOKEN + "\r\n";
            String read = "Authorization: Bearer " + GatewayEnv.READ_TOKEN + "\r\n";

            RawResponse declared = raw(
                    port,
                    "POST /api/v1/stock HTTP/1.1\r\nHost: gw\r\n" + admin
                            + "Content-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{\"sales\":[");
            assertEquals(413, declared.status(), declared.body());
            assertTrue(declared.closesConnection(), declared.head());
            assertEquals(
                    "too-large", assertErrorShape(declared.body()).get("error").asText());

            StringBuilder chunked = new StringBuilder("POST /api/v1/stock HTTP/1.1\r\nHost: gw\r\n" + admin
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(65_536);
            // Just over the 1 MiB limit and no last chunk: the gateway answers while the body is still open.
            for (int i = 0; i < 17; i++) {
                chunked.append(Integer.toHexString(chunk.length()))
                        .append("\r\n")
                        .append(chunk)
                        .append("\r\n");
            }
            RawResponse streamed = raw(port, chunked.toString());
            assertEquals(413, streamed.status(), "a chunked body over the route's limit: " + streamed.body());
            assertEquals(
                    "too-large", assertErrorShape(streamed.body()).get("error").asText());

            for (String write :
                    List.of("PUT /api/v1/prices/sku-1", "POST /api/v1/stock", "POST /api/v1/events/resend?from=1")) {
                RawResponse refused = raw(
                        port,
                        write + " HTTP/1.1\r\nHost: gw\r\n" + read
                                + "Content-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{\"price\":");
                assertEquals(403, refused.status(), write + " with the read token: " + refused.body());
                // The body is never read, so the connection cannot carry another request: a client that pools
                // connections must hear so, or its next request meets a closed socket.
                assertTrue(refused.closesConnection(), write + " refused before its body: " + refused.head());
                assertEquals(
                        "forbidden",
                        assertErrorShape(refused.body()).get("error").asText());
            }

            ApiClient api = new ApiClient(port, GatewayEnv.READ_TOKEN);
            for (String window : List.of(
                    "from=-999999999-01-01T00:00:00Z",
                    "to=+999999999-12-31T00:00:00Z",
                    "from=0001-01-01T00:00:00Z&to=2001-01-01T00:00:00Z")) {
                HttpResponse<String> answer = api.get("/api/v1/summary?" + window);
                assertEquals(400, answer.statusCode(), window + ": " + answer.body());
                assertEquals(
                        "bad-parameter",
                        assertErrorShape(answer.body()).get("error").asText());
            }

            HttpResponse<String> longUri = api.get("/api/v1/stock?sku=" + "7".repeat(5000));
            assertEquals(414, longUri.statusCode(), longUri.body());
            assertEquals(
                    "uri-too-long",
                    assertErrorShape(longUri.body()).get("error").asText());
            assertSecurityHeaders(longUri);

            HttpResponse<String> missing = api.get("/no-such-page.html");
            assertEquals(404, missing.statusCode());
            assertEquals(
                    "not-found", assertErrorShape(missing.body()).get("error").asText());
            assertSecurityHeaders(missing);
            HttpResponse<String> missingApi = api.get("/api/v1/no-such-thing");
            assertEquals(404, missingApi.statusCode());
            assertErrorShape(missingApi.body());

            HttpResponse<String> wrongMethod = http.send(
                    request(port, "/health")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
            assertEquals(
                    "method-not-allowed",
                    assertErrorShape(wrongMethod.body()).get("error").asText());

            RawResponse garbage = raw(port, "NOT-HTTP\r\n\r\n");
            assertEquals(400, garbage.status());
            assertErrorShape(garbage.body());

            HttpResponse<String> page = http.send(request(port, "/").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertSecurityHeaders(page);
            assertTrue(page.headers()
                    .firstValue("Content-Security-Policy")
                    .orElse("")
                    .contains("frame-ancestors 'none'"));
            assertSecurityHeaders(api.get("/api/v1/summary"));
            assertSecurityHeaders(http.send(request(port, "/health").build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void health_gives_the_cloud_error_its_time_and_clears_it_once_connected() throws Exception {
        try (Mosquitto cloud = new Mosquitto(dir.resolve("cloud"))) {
            GatewayEnv env = new GatewayEnv(dir.resolve("health"), cloud.url());
            try (InProcessGateway gateway = InProcessGateway.start(env)) {
                ApiClient api = new ApiClient(gateway.env().httpPort(), null);
                await("the failed connect is reported")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> !api.json("/health")
                                .at("/cloud/lastError")
                                .asText()
                                .isEmpty());
                JsonNode down = api.json("/health").get("cloud");
                assertTrue(down.get("lastError").asText().startsWith("connect to"), down.toString());
                Instant at = Instant.parse(down.get("lastErrorAt").asText());
                assertTrue(Duration.between(at, Instant.now()).abs().toSeconds() < 60, "a fresh time: " + at);

                cloud.start();
                await("connected")
                        .atMost(Duration.ofSeconds(30))
                        .until(() ->
                                api.json("/health").at("/cloud/state").asText().equals("CONNECTED"));
                JsonNode up = api.json("/health").get("cloud");
                assertEquals("", up.get("lastError").asText(), "no stale error while connected: " + up);
                assertTrue(up.get("lastErrorAt").isNull(), up.toString());
                assertTrue(up.at("/previousError/message").asText().startsWith("connect to"), up.toString());
                Instant.parse(up.at("/previousError/at").asText());
            }
        }
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
    }

    private static JsonNode assertErrorShape(String body) {
        JsonNode json = ApiClient.parse(body);
        Set<String> fields = new java.util.HashSet<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(ERROR_SHAPE, fields, body);
        return json;
    }

    private static void assertSecurityHeaders(HttpResponse<?> response) {
        assertEquals(
                SecurityHeaders.CSP,
                response.headers().firstValue("Content-Security-Policy").orElse(""),
                response.uri().toString());
        assertEquals(
                "nosniff",
                response.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(""));
    }

    /** Sends bytes on a fresh connection and reads the one answer; the rest of any body is never sent. */
    private static RawResponse raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the gateway may answer and close before a large body is all written; the answer is still there
            }
            return RawResponse.read(s.getInputStream());
        }
    }

    private static Socket openStream(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET /dashboard/stream HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(US_ASCII));
        assertEquals(200, RawResponse.readHead(s.getInputStream()));
        return s;
    }

    /** True when a plain connection is still open after a short wait (the gateway closes refused ones at once). */
    private static boolean isOpen(Socket s) throws IOException {
        try {
            return s.getInputStream().read() != -1;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Drips one header byte; true once the gateway closed the connection. */
    private static boolean isClosedByServer(SocketChannel channel) {
        try {
            channel.write(ByteBuffer.wrap("a".getBytes(US_ASCII)));
            ByteBuffer in = ByteBuffer.allocate(4096);
            int n;
            while ((n = channel.read(in)) > 0) {
                in.clear();
            }
            return n < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** A status line, headers and a body read off a raw socket (Content-Length or until close). */
    private record RawResponse(int status, String head, String body) {
        /** True when the answer tells the client the connection ends with it, so that no client reuses it. */
        boolean closesConnection() {
            return head.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n");
        }

        static int readHead(InputStream in) throws IOException {
            String head = head(in);
            return Integer.parseInt(head.substring(9, 12));
        }

        static RawResponse read(InputStream in) throws IOException {
            String head = head(in);
            int status = Integer.parseInt(head.substring(9, 12));
            int length = -1;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int b;
            while ((length < 0 || body.size() < length) && (b = in.read()) != -1) {
                body.write(b);
            }
            return new RawResponse(status, head, body.toString(US_ASCII));
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                String text = head.toString(US_ASCII);
                if (text.endsWith("\r\n\r\n")) {
                    return text;
                }
            }
            throw new IOException("closed before a full answer: " + head.toString(US_ASCII));
        }
    }
}
