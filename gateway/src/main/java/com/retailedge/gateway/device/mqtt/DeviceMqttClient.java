package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.ingest.DeviceIngest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * The gateway's Paho client on an external in-store broker (with the embedded one the gate is the ingest path and
 * {@link EmbeddedBroker#output} publishes in-process). It is the ingest path: a persistent session subscribed to
 * the device topics, acknowledging each message to the broker only once it is durable (manual acks). It also
 * carries what the gateway publishes to devices, through its {@link PublishWindow}.
 */
public final class DeviceMqttClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceMqttClient.class);
    private static final long RETRY_FIRST_MS = 200;
    private static final long RETRY_MAX_MS = 5000;
    private static final String[] DEVICE_TOPICS = {
        "pda/+/scan",
        "pda/+/status",
        "pda/+/ack",
        "pda/+/short",
        "pda/+/substitute",
        "button/+/press",
        "camera/+/recognition",
        "esl/+/status"
    };

    private final String storeId;
    private final String url;
    private final DeviceIngest ingest;
    private final MqttAsyncClient client;
    /** Bumped when a connection is lost: acknowledgements are only valid on the connection that delivered. */
    private final AtomicInteger connection = new AtomicInteger();

    private final AtomicLong refusedAgain = new AtomicLong();
    private final AtomicLong lastRefusalLogNanos = new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(1));
    private final PublishWindow outgoing;
    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("in-store-retries"));

    private DeviceMqttClient(String storeId, String url, String clientId, DeviceIngest ingest) throws MqttException {
        this.storeId = storeId;
        this.url = url;
        this.ingest = ingest;
        this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        this.outgoing = new PublishWindow(storeId, this::send);
    }

    /** Publishes and ingests the device topics of an external broker. */
    public static DeviceMqttClient ingester(String storeId, String url, DeviceIngest ingest) throws MqttException {
        return new DeviceMqttClient(storeId, url, "gateway-" + storeId + "-in", ingest);
    }

    public void start() throws MqttException {
        connectUntilDone(prepare());
        // Subscribed before start() returns: /health must not say UP while device messages have no taker.
        subscribe().waitForCompletion(10_000);
    }

    /** Sets up the client (callback, manual acks, buffer while disconnected) and returns its connect options. */
    private MqttConnectOptions prepare() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        // A persistent session lets the broker keep device messages while the gateway restarts.
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(5000);
        // Paho's own limit only backs up the window, which keeps well under it.
        options.setMaxInflight(4 * PublishWindow.WINDOW);
        options.setKeepAliveInterval(30);
        client.setManualAcks(true);
        client.setCallback(new Callback());
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        // The window holds messages while disconnected; this only catches those sent as the connection went.
        buffer.setBufferSize(4 * PublishWindow.WINDOW);
        buffer.setDeleteOldestMessages(true);
        client.setBufferOpts(buffer);
        return options;
    }

    private void connectUntilDone(MqttConnectOptions options) throws MqttException {
        // The first connect is not covered by automatic reconnect; an external broker may start after us.
        for (int attempt = 1; ; attempt++) {
            try {
                client.connect(options).waitForCompletion(10_000);
                return;
            } catch (MqttException e) {
                if (attempt >= 5) {
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

    /** Subscribes to the device topics. */
    private IMqttToken subscribe() throws MqttException {
        String[] filters = new String[DEVICE_TOPICS.length];
        int[] qos = new int[DEVICE_TOPICS.length];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = "store/" + storeId + "/" + DEVICE_TOPICS[i];
            qos[i] = 1;
        }
        return client.subscribe(filters, qos);
    }

    /** What the gateway publishes to the broker's devices: PDA replies, notices, pick lists. */
    public PublishWindow output() {
        return outgoing;
    }

    /** The window's sender: the connection number comes back with the token in deliveryComplete. */
    private void send(String topic, String json, int onConnection) throws MqttException {
        client.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, false, onConnection, null);
    }

    private void ingest(String topic, MqttMessage message) {
        Optional<DeviceAddress> address = DeviceAddress.fromTopic(storeId, topic);
        if (address.isEmpty()) {
            acknowledge(message);
            return;
        }
        take(topic, address.get(), message, connection.get(), RETRY_FIRST_MS);
    }

    /**
     * Offers a message to the store; acknowledges it once durable. A message the store refused (overloaded, disk
     * full) is offered again after a back-off, for as long as the connection that delivered it lasts: the broker
     * would not send it again before a reconnect, and an unacknowledged message also holds one of the broker's
     * in-flight slots for this session. Once that connection is gone the broker redelivers it on the next one,
     * and its message id means nothing any more. The store acts on a msgId once, so an offer that did land
     * before a failure was reported is only answered again.
     */
    private void take(String topic, DeviceAddress address, MqttMessage message, int deliveredOn, long backoffMs) {
        ingest.submit(Transport.MQTT, topic, address, message.getPayload()).whenComplete((result, failure) -> {
            if (failure == null) {
                if (connection.get() == deliveredOn) {
                    acknowledge(message);
                }
                return;
            }
            if (connection.get() != deliveredOn || retries.isShutdown()) {
                return;
            }
            long now = System.nanoTime();
            long last = lastRefusalLogNanos.get();
            // at most one line every ten seconds: on a full disk every message is refused alike
            if (now - last > TimeUnit.SECONDS.toNanos(10) && lastRefusalLogNanos.compareAndSet(last, now)) {
                LOG.warn(
                        "the store refused a message on {} ({}); offering it again until it is taken",
                        topic,
                        failure.getMessage());
            }
            refusedAgain.incrementAndGet();
            try {
                retries.schedule(
                        () -> take(topic, address, message, deliveredOn, Math.min(backoffMs * 2, RETRY_MAX_MS)),
                        backoffMs,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // stopping: the broker keeps it for the next session
            }
        });
    }

    /** Times the store refused a message from the external broker and it was offered again. */
    public long retried() {
        return refusedAgain.get();
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
        retries.shutdownNow();
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
            outgoing.connected();
            if (reconnect) {
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
            connection.incrementAndGet();
            outgoing.lost();
            LOG.warn("lost the in-store broker: {}", cause == null ? "closed" : cause.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            ingest(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            if (token.getUserContext() instanceof Integer onConnection) {
                outgoing.delivered(onConnection);
            }
        }
    }
}
