package com.retailedge.gateway.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;

/**
 * Devices that keep sending until told to stop, and behave as real ones do while the gateway crashes or
 * restarts: they reconnect, and a message whose acknowledgement never came is sent again with the same
 * {@code msgId}. A msgId counts as acknowledged only on an MQTT PUBACK or a CoAP {@code 2.04}: those are the
 * messages the gateway promised to keep.
 *
 * <p>One MQTT thread publishes PDA scans (pda-1..3) and button presses (button-1..3) on one connection with up
 * to {@value #MQTT_WINDOW} publishes in flight; one CoAP thread POSTs button presses (button-4..6).
 */
final class DeviceTraffic implements AutoCloseable {
    private static final int MQTT_WINDOW = 32;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(200);

    private final String mqttUrl;
    private final String coapBaseUri;
    private final int mqttPerSecond;
    private final int coapPerSecond;
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger resends = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private record Message(String msgId, String topicOrPath, String json) {}

    DeviceTraffic(String mqttUrl, String coapBaseUri, int mqttPerSecond, int coapPerSecond) {
        this.mqttUrl = mqttUrl;
        this.coapBaseUri = coapBaseUri;
        this.mqttPerSecond = mqttPerSecond;
        this.coapPerSecond = coapPerSecond;
    }

    DeviceTraffic start() {
        threads.add(new Thread(this::mqttLoop, "it-mqtt-devices"));
        if (coapPerSecond > 0) {
            threads.add(new Thread(this::coapLoop, "it-coap-buttons"));
        }
        threads.forEach(Thread::start);
        return this;
    }

    /** Stops sending and waits for what is in flight to be answered or to time out. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(ACK_TIMEOUT.toMillis() + 10_000);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop");
            }
        }
    }

    /** msgIds sent at least once. */
    Set<String> sent() {
        return Set.copyOf(sent);
    }

    /** msgIds the gateway acknowledged: PUBACK or 2.04. */
    Set<String> acked() {
        return Set.copyOf(acked);
    }

    int ackedCount() {
        return acked.size();
    }

    /** Sends, counting every resend of a msgId. */
    int attempts() {
        return attempts.get();
    }

    int resends() {
        return resends.get();
    }

    /** Answers that refused a valid message (CoAP 4.xx): there should be none. */
    List<String> refusals() {
        return List.copyOf(refusals);
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }

    private void mqttLoop() {
        ConcurrentLinkedDeque<Message> unacked = new ConcurrentLinkedDeque<>();
        Semaphore window = new Semaphore(MQTT_WINDOW);
        Pacer pacer = new Pacer(mqttPerSecond);
        MqttDevice device = null;
        int n = 0;
        try {
            while (running) {
                if (device == null || !device.isConnected()) {
                    device = reconnect(device);
                    if (device == null) {
                        continue;
                    }
                }
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                Message m = unacked.poll();
                if (m != null) {
                    resends.incrementAndGet();
                } else {
                    n++;
                    int d = n % 3 + 1;
                    String msgId = "mqtt-" + n;
                    m = n % 2 == 0
                            ? new Message(msgId, Payloads.scanTopic("pda-" + d), Payloads.scan(msgId))
                            : new Message(msgId, Payloads.pressTopic("button-" + d), Payloads.press(msgId));
                    sent.add(msgId);
                }
                Message message = m;
                attempts.incrementAndGet();
                device.publish(message.topicOrPath(), message.msgId(), message.json())
                        .orTimeout(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((msgId, failure) -> {
                            if (failure == null) {
                                acked.add(msgId);
                            } else {
                                unacked.add(message);
                            }
                            window.release();
                        });
                pacer.pace();
            }
            // Let what is in flight be answered (or time out) before counting.
            window.tryAcquire(MQTT_WINDOW, ACK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (device != null) {
                device.close();
            }
        }
    }

    private MqttDevice reconnect(MqttDevice old) throws InterruptedException {
        if (old != null) {
            old.close();
        }
        try {
            return MqttDevice.connect(mqttUrl, "it-device-hub", Duration.ofSeconds(2));
        } catch (Exception gatewayAway) {
            Thread.sleep(RECONNECT_PAUSE.toMillis()); // a device's back-off, not a synchronisation
            return null;
        }
    }

    private void coapLoop() {
        Pacer pacer = new Pacer(coapPerSecond);
        try (CoapDevice device = new CoapDevice(coapBaseUri, Duration.ofSeconds(5))) {
            int n = 0;
            Message pending = null;
            while (running) {
                if (pending == null) {
                    n++;
                    String msgId = "coap-" + n;
                    pending = new Message(msgId, Payloads.pressPath("button-" + (n % 3 + 4)), Payloads.press(msgId));
                    sent.add(msgId);
                } else {
                    resends.incrementAndGet();
                }
                attempts.incrementAndGet();
                CoapResponse response = null;
                try {
                    response = device.post(pending.topicOrPath(), pending.json());
                } catch (Exception gatewayAway) {
                    // no answer: sent again below
                }
                if (response != null && response.getCode() == ResponseCode.CHANGED) {
                    acked.add(pending.msgId());
                    pending = null;
                    pacer.pace();
                } else if (response != null && response.getCode().codeClass == 4) {
                    refusals.add(pending.msgId() + " -> " + response.getCode() + " " + response.getResponseText());
                    pending = null;
                } else {
                    Thread.sleep(RECONNECT_PAUSE.toMillis()); // a device's back-off, not a synchronisation
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            refusals.add("the CoAP device failed: " + e);
        }
    }

    /** Spreads sends evenly at a target rate. */
    private static final class Pacer {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Pacer(int perSecond) {
            this.intervalNanos = 1_000_000_000L / Math.max(1, perSecond);
        }

        void pace() {
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -1_000_000_000L) {
                next = System.nanoTime(); // fell behind (the gateway was away): do not burst to catch up
            }
        }
    }
}
