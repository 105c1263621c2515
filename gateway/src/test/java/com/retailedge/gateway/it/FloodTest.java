package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.GatewayProcess;
import com.retailedge.gateway.testsupport.StoreIntegrity;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway as its own JVM with a 96 MB heap, flooded by many devices at once: MQTT QoS 1 and QoS 0 publishers
 * that never wait, and CoAP senders that fire non-confirmable POSTs as fast as a socket takes them, while the cloud
 * is unreachable so every event piles up. It must answer with back-pressure or refusals (CoAP 5.03, MQTT no
 * PUBACK), keep answering {@code /health}, never run out of memory, serve normally once the flood stops, and leave
 * a database that passes {@code integrity_check}. {@code -Dflood.seconds=N} floods longer (bench/reliability.sh).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("slow")
class FloodTest {
    private static final int SECONDS = Integer.getInteger("flood.seconds", 12);
    private static final int QOS1_CONNECTIONS = 24;
    private static final int QOS0_CONNECTIONS = 4;
    private static final int COAP_SENDERS = 2;
    private static final String HEAP = "96m";

    @TempDir
    Path dir;

    private volatile boolean flooding = true;
    private final AtomicLong mqttSent = new AtomicLong();
    private final AtomicLong mqttAcked = new AtomicLong();
    private final AtomicLong mqttQos0Written = new AtomicLong();
    private final AtomicLong mqttDisconnects = new AtomicLong();
    private final AtomicLong coapSent = new AtomicLong();
    private final AtomicLong coapChanged = new AtomicLong();
    private final AtomicLong coapUnavailable = new AtomicLong();

    @Test
    void a_flood_from_many_devices_meets_back_pressure_and_refusals_within_a_96_mb_heap() throws Exception {
        Path log = dir.resolve("gateway.log");
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp())
                .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
        try (GatewayProcess gateway = new GatewayProcess(env, log).maxHeap(HEAP).start()) {
            flood(env, gateway, log);
        } catch (Throwable failure) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            System.out.println("--- last 60 lines of " + log + " ---");
            lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
            throw failure;
        }
    }

    private void flood(GatewayEnv env, GatewayProcess gateway, Path log) throws Exception {
        {
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < QOS1_CONNECTIONS + QOS0_CONNECTIONS; i++) {
                int qos = i < QOS1_CONNECTIONS ? 1 : 0;
                int n = i;
                threads.add(new Thread(() -> mqttFlood(env.mqttUrl(), n, qos), "flood-mqtt-" + i));
            }
            for (int i = 0; i < COAP_SENDERS; i++) {
                int n = i;
                threads.add(new Thread(() -> coapFlood(env.coapPort(), n), "flood-coap-" + i));
            }
            threads.forEach(Thread::start);

            Samples samples = sample(api, gateway, Duration.ofSeconds(SECONDS));
            flooding = false;
            for (Thread t : threads) {
                t.join(30_000);
            }

            assertTrue(gateway.isAlive(), "the gateway survived the flood; see " + log);
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), "no OutOfMemoryError in " + log);
            await("healthy after the flood")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> api.get("/health").statusCode() == 200);
            try (CoapDevice button = new CoapDevice(env.coapPort())) {
                await("serves devices again")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> button.post(
                                                "/button/button-9/press",
                                                ("{\"msgId\":\"after-" + System.nanoTime() + "\",\"press\":\"single\"}")
                                                        .getBytes(StandardCharsets.UTF_8))
                                        .getCode()
                                == ResponseCode.CHANGED);
            }
            double refusals = api.metric("gateway_ingest_overload_refusals_total", Map.of());
            double shed = api.metric("gateway_coap_datagrams_shed_total", Map.of());
            double stored = api.metric("gateway_device_messages_total", Map.of())
                    - api.metric("gateway_device_messages_total", Map.of("outcome", "failed"));
            System.out.printf(
                    "flood summary: %d s, heap -Xmx%s, mqtt sent=%d qos1 acked=%d qos0 written=%d disconnects=%d, "
                            + "coap sent=%d 2.04=%d 5.03=%d shed=%.0f, stored=%.0f overloadRefusals=%.0f, "
                            + "peak heap used=%.1f MB, peak RSS=%.1f MB, health samples=%d unanswered=%d slowest=%d ms%n",
                    SECONDS,
                    HEAP,
                    mqttSent.get(),
                    mqttAcked.get(),
                    mqttQos0Written.get(),
                    mqttDisconnects.get(),
                    coapSent.get(),
                    coapChanged.get(),
                    coapUnavailable.get(),
                    shed,
                    stored,
                    refusals,
                    samples.peakHeapBytes / 1e6,
                    samples.peakRssKb / 1024.0,
                    samples.count,
                    samples.unanswered,
                    samples.slowestMillis);
            assertEquals(0, samples.unanswered, "/health answered within 10 s throughout the flood");
            assertTrue(mqttAcked.get() > 0 && coapChanged.get() > 0, "the flood was served, not only refused");
            assertTrue(
                    mqttAcked.get() + coapChanged.get() <= stored, "every acknowledgement stands for a stored outcome");
            assertTrue(coapUnavailable.get() > 0 || refusals > 0, "beyond its bounds the gateway refused clearly");
            assertTrue(samples.peakRssKb < 600 * 1024, "resident memory stays bounded: " + samples.peakRssKb + " kB");
            assertEquals("ok", StoreIntegrity.check(env.dataDir()));
        }
    }

    private static final class Samples {
        int count;
        int unanswered;
        long slowestMillis;
        double peakHeapBytes;
        long peakRssKb;
    }

    /** Every half second: /health (must answer), heap used (from /metrics), resident set size (from /proc). */
    private static Samples sample(ApiClient api, GatewayProcess gateway, Duration duration) throws Exception {
        Samples s = new Samples();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> health = api.get("/health");
                s.count++;
                if (health.statusCode() != 200) {
                    s.unanswered++;
                }
                s.peakHeapBytes =
                        Math.max(s.peakHeapBytes, api.metric("jvm_memory_used_bytes", Map.of("area", "heap")));
            } catch (RuntimeException e) {
                s.count++;
                s.unanswered++;
            }
            s.slowestMillis = Math.max(s.slowestMillis, (System.nanoTime() - start) / 1_000_000);
            s.peakRssKb = Math.max(s.peakRssKb, rssKb(gateway.pid()));
            Thread.sleep(500);
        }
        return s;
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception gone) {
            // not Linux, or the process ended
        }
        return 0;
    }

    /** One device connection publishing without waiting; reconnects when the gateway closes it. */
    private void mqttFlood(String url, int n, int qos) {
        String pda = "pda-" + (1 + n % 10);
        byte[] big = ("{\"msgId\":\"big\",\"pad\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        long seq = 0;
        MqttAsyncClient client = null;
        while (flooding) {
            try {
                if (client == null || !client.isConnected()) {
                    if (client != null) {
                        mqttDisconnects.incrementAndGet();
                        client.close(true);
                    }
                    client = new MqttAsyncClient(url, "flood-" + n + "-" + System.nanoTime(), new MemoryPersistence());
                    MqttConnectOptions options = new MqttConnectOptions();
                    options.setMaxInflight(1000);
                    options.setConnectionTimeout(10);
                    client.connect(options).waitForCompletion(15_000);
                }
                seq++;
                byte[] payload = seq % 500 == 0
                        ? big
                        : Payloads.scan("flood-" + n + "-" + seq).getBytes(StandardCharsets.UTF_8);
                client.publish(Payloads.scanTopic(pda), payload, qos, false, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        (qos == 1 ? mqttAcked : mqttQos0Written).incrementAndGet();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        // the gateway closed the connection: the device sends it again later
                    }
                });
                mqttSent.incrementAndGet();
            } catch (MqttException e) {
                pause(e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT ? 1 : 100);
            }
        }
        if (client != null) {
            try {
                client.disconnectForcibly(100, 1000);
                client.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
    }

    /** Non-confirmable CoAP POSTs as fast as the socket takes them; a second thread counts the answers. */
    private void coapFlood(int port, int n) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(200);
            Thread answers = new Thread(() -> countAnswers(socket), "flood-coap-answers-" + n);
            answers.start();
            InetAddress loopback = InetAddress.getLoopbackAddress();
            int messageId = 0;
            while (flooding) {
                messageId = (messageId + 1) & 0xffff;
                String button = "button-" + (1 + messageId % 8);
                byte[] packet = nonConfirmablePost(
                        messageId, button, "{\"msgId\":\"c" + n + "-" + System.nanoTime() + "\",\"press\":\"single\"}");
                socket.send(new DatagramPacket(packet, packet.length, loopback, port));
                coapSent.incrementAndGet();
                if (messageId % 64 == 0) {
                    Thread.yield();
                }
            }
            answers.join(2000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void countAnswers(DatagramSocket socket) {
        byte[] buffer = new byte[2048];
        while (flooding || !socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException idle) {
                if (!flooding) {
                    return;
                }
                continue;
            } catch (Exception closed) {
                return;
            }
            int code = buffer[1] & 0xff;
            if (code == 0x44) {
                coapChanged.incrementAndGet();
            } else if (code == 0xA3) {
                coapUnavailable.incrementAndGet();
            }
        }
    }

    /** A CoAP NON POST to /button/{id}/press, version 1, 2-byte token, Uri-Path options, JSON payload. */
    private static byte[] nonConfirmablePost(int messageId, String button, String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x52);
        out.write(0x02);
        out.write(messageId >> 8);
        out.write(messageId & 0xff);
        out.write(messageId >> 8);
        out.write(messageId & 0xff);
        uriPath(out, 0xB0, "button");
        uriPath(out, 0x00, button);
        uriPath(out, 0x00, "press");
        out.write(0xFF);
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void uriPath(ByteArrayOutputStream out, int delta, String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        out.write(delta | bytes.length);
        out.writeBytes(bytes);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
