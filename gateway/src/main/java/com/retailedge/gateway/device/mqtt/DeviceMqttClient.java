package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.device.DevicePublisher;
import com.retailedge.gateway.ingest.DeviceAddress;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.ingest.Transport;
import com.retailedge.gateway.store.WriterThread;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own Paho client on the in-store broker. It always publishes PDA replies (and later tasks
 * and notices). With an external broker it is also the ingest path: a persistent session subscribed to the
 * device topics, acknowledging each message to the broker only once it is durable (manual acks).
 */
public final class DeviceMqttClient implements AutoCloseable, DeviceIngest.PdaReplies, DevicePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceMqttClient.class);
    private static final String[] DEVICE_TOPICS = {"pda/+/scan", "pda/+/status", "pda/+/ack", "pda/+/short",
        "pda/+/substitute", "button/+/press",
        "camera/+/recognition", "esl/+/status"};

    private final String storeId;
    private final String url;
    private final DeviceIngest ingest;
    private final MqttAsyncClient client;

    private DeviceMqttClient(String storeId, String url, String clientId, DeviceIngest ingest) throws MqttException {
        this.storeId = storeId;
        this.url = url;
        this.ingest = ingest;
        this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    }

    /** Only publishes: the durable ack gate is the ingest path in front of the embedded broker. */
    public static DeviceMqttClient publisher(String storeId, String url) throws MqttException {
        return new DeviceMqttClient(storeId, url, "gateway-" + storeId + "-out", null);
    }

    /** Publishes and ingests the device topics of an external broker. */
    public static DeviceMqttClient ingester(String storeId, String url, DeviceIngest ingest) throws MqttException {
        return new DeviceMqttClient(storeId, url, "gateway-" + storeId + "-in", ingest);
    }

    public void start() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        // A persistent session lets the broker keep device messages while the gateway restarts.
        options.setCleanSession(ingest == null);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(5000);
        options.setMaxInflight(10_000);
        options.setKeepAliveInterval(30);
        client.setManualAcks(ingest != null);
        client.setCallback(new Callback());
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(10_000);
        buffer.setDeleteOldestMessages(true);
        client.setBufferOpts(buffer);
        connectUntilDone(options);
        // Subscribed before start() returns: /health must not say UP while device messages have no taker.
        if (ingest != null) {
            subscribe().waitForCompletion(10_000);
        }
    }

    private void connectUntilDone(MqttConnectOptions options) throws MqttException {
        // The first connect is not covered by automatic reconnect; an external broker may start after us.
        for (int attempt = 1; ; attempt++) {
            try {
                client.connect(options).waitForCompletion(10_000);
                return;
            } catch (MqttException e) {
                if (attempt >= 5 || ingest == null) {
                    throw e;
                }
                LOG.warn("in-store broker {} not reachable yet ({}); retrying", url, e.getMessage());
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Subscribes to the device topics (ingesting client only). */
    private IMqttToken subscribe() throws MqttException {
        String[] filters = new String[DEVICE_TOPICS.length];
        int[] qos = new int[DEVICE_TOPICS.length];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = "store/" + storeId + "/" + DEVICE_TOPICS[i];
            qos[i] = 1;
        }
        return client.subscribe(filters, qos);
    }

    @Override
    public void reply(String pdaId, String json) {
        publish("store/" + storeId + "/pda/" + pdaId + "/reply", json);
    }

    /** Publishes to a device topic with QoS 1; buffered while the broker is away. */
    @Override
    public void publish(String topic, String json) {
        WriterThread.forbid("an MQTT publish to " + topic);
        try {
            client.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, false);
        } catch (MqttException e) {
            LOG.warn("cannot publish to {}: {}", topic, e.getMessage());
        }
    }

    private void ingest(String topic, MqttMessage message) {
        Optional<DeviceAddress> address = DeviceAddress.fromTopic(storeId, topic);
        if (address.isEmpty()) {
            acknowledge(message);
            return;
        }
        ingest.submit(Transport.MQTT, topic, address.get(), message.getPayload()).whenComplete((result, failure) -> {
            if (failure == null) {
                acknowledge(message);
            } else {
                // Unacknowledged, the broker sends it again when the session resumes.
                LOG.warn("not acknowledging a message on {}: {}", topic, failure.getMessage());
            }
        });
    }

    private void acknowledge(MqttMessage message) {
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            LOG.debug("ack of message {} failed: {}", message.getId(), e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing the in-store client: {}", e.getMessage());
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            LOG.info("{} to the in-store broker {}", reconnect ? "reconnected" : "connected", serverURI);
            if (reconnect && ingest != null) {
                // A persistent session normally keeps the subscription; subscribing again is harmless.
                try {
                    subscribe();
                } catch (MqttException e) {
                    LOG.error("cannot subscribe to the device topics: {}", e.getMessage());
                }
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            LOG.warn("lost the in-store broker: {}", cause == null ? "closed" : cause.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (ingest != null) {
                ingest(topic, message);
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // replies are fire-and-forget at QoS 1; Paho retries them
        }
    }
}
