package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.spi.DevicePublisher;
import com.retailedge.gateway.store.WriterThread;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
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
    private static final long RETRY_FIRST_MS = 200;
    private static final long RETRY_MAX_MS = 5000;
    /**
     * QoS 1 messages to devices the broker has not acknowledged yet. Loopback to the embedded broker answers in a
     * fraction of a millisecond, so 128 is plenty for its pace and keeps Moquette's session queues (1,024 commands
     * for all sessions of a loop) far from full.
     */
    static final int PUBLISH_WINDOW = 128;
    /** Messages waiting for the window: 2,000 notices to 50 PDAs; an entry holds ids, not copies (under 1 MB). */
    static final int PUBLISH_QUEUE = 100_000;

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
    /** The embedded broker's per-start login; null for an external broker. */
    private final InternalBroker login;
    /** Bumped when a connection is lost: acknowledgements are only valid on the connection that delivered. */
    private final AtomicInteger connection = new AtomicInteger();

    private final AtomicLong refusedAgain = new AtomicLong();
    private final AtomicLong lastRefusalLogNanos = new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(1));
    private final PublishWindow outgoing = new PublishWindow(PUBLISH_WINDOW, PUBLISH_QUEUE, this::send);
    private IMqttToken connecting;
    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("in-store-retries"));

    private DeviceMqttClient(String storeId, String url, String clientId, DeviceIngest ingest, InternalBroker login)
            throws MqttException {
        this.storeId = storeId;
        this.url = url;
        this.ingest = ingest;
        this.login = login;
        this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    }

    /**
     * Only publishes: the durable ack gate is the ingest path in front of the embedded broker. Its client id has a
     * ':' so that no device, whose client id is its device id, can take its session.
     */
    public static DeviceMqttClient publisher(String storeId, InternalBroker login) throws MqttException {
        return new DeviceMqttClient(storeId, login.url(), "gateway:" + storeId + ":out", null, login);
    }

    /** Publishes and ingests the device topics of an external broker. */
    public static DeviceMqttClient ingester(String storeId, String url, DeviceIngest ingest) throws MqttException {
        return new DeviceMqttClient(storeId, url, "gateway-" + storeId + "-in", ingest, null);
    }

    public void start() throws MqttException {
        connectUntilDone(prepare());
        // Subscribed before start() returns: /health must not say UP while device messages have no taker.
        if (ingest != null) {
            subscribe().waitForCompletion(10_000);
        }
    }

    /**
     * The embedded broker's publisher: starts connecting and returns, so that the rest of the gateway starts while
     * Moquette takes its first connection (half a second of a cold JVM); {@link #awaitConnected} before use.
     */
    public void startConnecting() throws MqttException {
        if (ingest != null) {
            throw new IllegalStateException("the ingesting client connects with start()");
        }
        connecting = client.connect(prepare());
    }

    /** Waits for the connection {@link #startConnecting} began. */
    public void awaitConnected() throws MqttException {
        connecting.waitForCompletion(10_000);
    }

    /** Sets up the client (callback, manual acks, buffer while disconnected) and returns its connect options. */
    private MqttConnectOptions prepare() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        // A persistent session lets the broker keep device messages while the gateway restarts.
        options.setCleanSession(ingest == null);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(5000);
        // Paho's own limit only backs up the window, which keeps well under it.
        options.setMaxInflight(4 * PUBLISH_WINDOW);
        options.setKeepAliveInterval(30);
        if (login != null) {
            options.setUserName(login.user());
            options.setPassword(login.password().toCharArray());
        }
        client.setManualAcks(ingest != null);
        client.setCallback(new Callback());
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        // The window holds messages while disconnected; this only catches those sent as the connection went.
        buffer.setBufferSize(4 * PUBLISH_WINDOW);
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
        WriterThread.forbid("a reply to PDA " + pdaId);
        outgoing.offerReply("store/" + storeId + "/pda/" + pdaId + "/reply", json);
    }

    /** Publishes to a device topic with QoS 1, paced by the window; held while the broker is away. */
    @Override
    public void publish(String topic, String json) {
        WriterThread.forbid("an MQTT publish to " + topic);
        outgoing.offer(Outgoing.one(topic, json));
    }

    @Override
    public void publishToEach(List<String> deviceIds, UnaryOperator<String> topicOf, String json) {
        WriterThread.forbid("an MQTT publish to " + deviceIds.size() + " devices");
        outgoing.offer(Outgoing.toEach(deviceIds, topicOf, json));
    }

    @Override
    public void publishAll(String topic, List<String> jsons) {
        WriterThread.forbid("an MQTT publish to " + topic);
        outgoing.offer(Outgoing.allTo(topic, jsons));
    }

    /** Messages to devices waiting for room in the window. */
    public int publishesWaiting() {
        return outgoing.waiting();
    }

    /** Messages to devices refused by a full queue or by the client. */
    public long publishesDropped() {
        return outgoing.dropped();
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
            if (login == null) {
                LOG.info("{} to the in-store broker {}", reconnect ? "reconnected" : "connected", serverURI);
            } else {
                // The embedded broker's loopback port stays out of the INFO log: only the gateway may use it.
                LOG.info("{} to the embedded broker", reconnect ? "reconnected" : "connected");
                LOG.debug("embedded broker at {}", serverURI);
            }
            outgoing.connected();
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
            connection.incrementAndGet();
            outgoing.lost();
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
            if (token.getUserContext() instanceof Integer onConnection) {
                outgoing.delivered(onConnection);
            }
        }
    }
}
