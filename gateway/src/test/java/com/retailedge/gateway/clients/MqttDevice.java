package com.retailedge.gateway.clients;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An MQTT device: a Paho client whose QoS 1 publish returns only after the PUBACK (or fails the test after
 * ten seconds), and which collects what arrives on the topics it subscribed to.
 */
public final class MqttDevice implements AutoCloseable {
    /** One message received, as text. */
    public record Received(String topic, String payload) {}

    private final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    public MqttDevice(String url) throws MqttException {
        this(url, null, null);
    }

    /** Connects leaving a will (QoS 1): the broker publishes {@code willPayload} if the connection just drops. */
    public MqttDevice(String url, String willTopic, String willPayload) throws MqttException {
        client = new MqttClient(url, "test-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        client.setTimeToWait(10_000);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        if (willTopic != null) {
            options.setWill(willTopic, willPayload.getBytes(StandardCharsets.UTF_8), 1, false);
        }
        client.connect(options);
    }

    /** Subscribes with QoS 1 and returns once the broker granted it (SUBACK). */
    public MqttDevice subscribe(String filter) throws MqttException {
        client.subscribe(
                filter,
                1,
                (topic, message) ->
                        received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8))));
        return this;
    }

    /** Publishes with QoS 1 and returns once the PUBACK came back. */
    public void publish(String topic, byte[] payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        client.publish(topic, message);
    }

    public void publish(String topic, String payload) throws MqttException {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The next message received, or null after {@code seconds}. */
    public Received next(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
        } finally {
            client.close(true);
        }
    }
}
