package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The cloud backend's view of one store: a Paho subscriber on {@code retail/{storeId}/events} at QoS 1 that
 * records every delivery in arrival order, and the distinct events (by CloudEvents {@code id}) in the order
 * they first arrived, which is how a cloud that de-duplicates on {@code id} sees the stream.
 */
final class CloudCollector implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttAsyncClient client;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final List<JsonNode> deliveries = new ArrayList<>();
    private final Map<String, JsonNode> firstArrivals = new LinkedHashMap<>();
    private final Map<String, Set<String>> eventIdsByMsgId = new HashMap<>();
    private final List<String> unreadable = new ArrayList<>();

    private CloudCollector(String url, String clientId) throws MqttException {
        this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    }

    /** A subscriber with a clean session: it hears what is published while it is connected. */
    static CloudCollector subscribe(String url) throws MqttException {
        return start(url, "cloud-" + System.nanoTime(), true);
    }

    /**
     * A subscriber with a persistent session under a fixed client id, so the broker keeps its messages while
     * it or the subscriber is away (and, with broker persistence, across a broker restart).
     */
    static CloudCollector subscribePersistent(String url, String clientId) throws MqttException {
        return start(url, clientId, false);
    }

    private static CloudCollector start(String url, String clientId, boolean cleanSession) throws MqttException {
        CloudCollector c = new CloudCollector(url, clientId);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(500);
        options.setKeepAliveInterval(10);
        options.setConnectionTimeout(5);
        c.client.setCallback(c.new Callback());
        c.client.connect(options).waitForCompletion(10_000);
        try {
            c.subscribed.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.close();
            throw new IllegalStateException("the cloud subscriber did not get its SUBACK", e);
        }
        return c;
    }

    private synchronized void record(byte[] payload) {
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (IOException e) {
            unreadable.add(new String(payload, StandardCharsets.UTF_8));
            return;
        }
        if (event == null || !event.path("id").isTextual()) {
            unreadable.add(new String(payload, StandardCharsets.UTF_8));
            return;
        }
        deliveries.add(event);
        String id = event.get("id").textValue();
        if (firstArrivals.putIfAbsent(id, event) == null) {
            JsonNode msgId = event.path("data").path("msgId");
            if (msgId.isTextual()) {
                eventIdsByMsgId
                        .computeIfAbsent(msgId.textValue(), k -> new HashSet<>())
                        .add(id);
            }
        }
    }

    /** Every delivery, duplicates included, in arrival order. */
    synchronized List<JsonNode> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Distinct events (by {@code id}) in the order each first arrived. */
    synchronized List<JsonNode> distinctEvents() {
        return List.copyOf(firstArrivals.values());
    }

    synchronized int distinctCount() {
        return firstArrivals.size();
    }

    /** Deliveries of an event id that had already arrived. */
    synchronized int duplicateDeliveries() {
        return deliveries.size() - firstArrivals.size();
    }

    /** The {@code data.msgId} values carried by the distinct events. */
    synchronized Set<String> msgIds() {
        return Set.copyOf(eventIdsByMsgId.keySet());
    }

    /** msgIds that more than one distinct event carries: a device message acted on twice. */
    synchronized Map<String, Set<String>> msgIdsOnSeveralEvents() {
        Map<String, Set<String>> several = new HashMap<>();
        eventIdsByMsgId.forEach((msgId, ids) -> {
            if (ids.size() > 1) {
                several.put(msgId, Set.copyOf(ids));
            }
        });
        return several;
    }

    /** Fails, saying what is missing and what did arrive, unless some distinct event carries each msgId. */
    synchronized void assertHasAll(Collection<String> msgIds) {
        Set<String> missing = missing(msgIds);
        if (!missing.isEmpty()) {
            throw new AssertionError(missing.size() + " of " + msgIds.size() + " msgIds have no event yet, e.g. "
                    + missing.stream().sorted().limit(20).toList() + "; " + firstArrivals.size()
                    + " distinct events in "
                    + deliveries.size() + " deliveries, sequence runs in arrival order " + sequenceRuns());
        }
    }

    /** The first arrivals' sequences as runs like {@code 1-55, 1018-1108}: a gap shows at a glance. */
    private String sequenceRuns() {
        StringBuilder runs = new StringBuilder();
        long start = -1;
        long last = -1;
        for (JsonNode e : firstArrivals.values()) {
            long s = e.path("sequence").asLong();
            if (start >= 0 && s == last + 1) {
                last = s;
                continue;
            }
            if (start >= 0) {
                runs.append(start).append('-').append(last).append(", ");
            }
            start = s;
            last = s;
        }
        return start < 0
                ? "(none)"
                : runs.append(start).append('-').append(last).toString();
    }

    /** Of {@code msgIds}, those no distinct event carries yet. */
    synchronized Set<String> missing(Collection<String> msgIds) {
        Set<String> missing = new HashSet<>(msgIds);
        missing.removeAll(eventIdsByMsgId.keySet());
        return missing;
    }

    synchronized List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2000);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Subscribing again after a reconnect is harmless for a persistent session and needed for a clean one.
            try {
                client.subscribe(Payloads.EVENTS_TOPIC, 1, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        subscribed.complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        subscribed.completeExceptionally(failure);
                    }
                });
            } catch (MqttException e) {
                subscribed.completeExceptionally(e);
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            // automatic reconnect takes over
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            record(message.getPayload());
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // the cloud side only subscribes
        }
    }
}
