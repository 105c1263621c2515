package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A device on the in-store MQTT broker, as a real Paho client with a clean session. A publish is QoS 1 and
 * counts as delivered only when its PUBACK arrived: that is the gateway's promise that it is durable. When the
 * connection drops, every publish still waiting fails at once, as it would on a device that then sends again.
 */
final class MqttDevice implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttAsyncClient client;
    /** Publishes waiting for their PUBACK; failed together when the connection drops. */
    private final Set<CompletableFuture<String>> pending = ConcurrentHashMap.newKeySet();

    private MqttDevice(String url, String clientId) throws MqttException {
        this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                failPending(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // subscriptions have their own listeners
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // completions go to each publish's listener
            }
        });
    }

    /** Connects, or throws when the broker does not accept the connection within {@code timeout}. */
    static MqttDevice connect(String url, String clientId, Duration timeout) throws MqttException {
        MqttDevice device = new MqttDevice(url, clientId);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(1000);
        options.setKeepAliveInterval(10);
        options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        try {
            device.client.connect(options).waitForCompletion(timeout.toMillis());
        } catch (MqttException e) {
            device.close();
            throw e;
        }
        return device;
    }

    boolean isConnected() {
        return client.isConnected();
    }

    /** Completes with the msgId when the PUBACK arrives, exceptionally when the publish fails or the link drops. */
    CompletableFuture<String> publish(String topic, String msgId, String json) {
        CompletableFuture<String> acked = new CompletableFuture<>();
        pending.add(acked);
        acked.whenComplete((m, f) -> pending.remove(acked));
        MqttMessage message = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        try {
            client.publish(topic, message, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked.complete(msgId);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    acked.completeExceptionally(failure);
                }
            });
        } catch (MqttException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** Subscribes at QoS 1 and hands every message on {@code filter} to {@code listener} as JSON. */
    void subscribe(String filter, Consumer<JsonNode> listener) throws MqttException {
        client.subscribe(filter, 1, (topic, message) -> {
                    try {
                        listener.accept(JSON.readTree(message.getPayload()));
                    } catch (IOException e) {
                        listener.accept(JSON.getNodeFactory()
                                .textNode(new String(message.getPayload(), StandardCharsets.UTF_8)));
                    }
                })
                .waitForCompletion(10_000);
    }

    private void failPending(Throwable cause) {
        Throwable reason = cause != null ? cause : new IllegalStateException("connection closed");
        pending.forEach(p -> p.completeExceptionally(reason));
    }

    @Override
    public void close() {
        failPending(new IllegalStateException("device closed"));
        try {
            if (client.isConnected()) {
                client.disconnect(500).waitForCompletion(2000);
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

    /** Waits for a publish to be acknowledged, for tests that send a few messages one by one. */
    static String awaitAck(CompletableFuture<String> ack, Duration timeout) throws Exception {
        return ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
