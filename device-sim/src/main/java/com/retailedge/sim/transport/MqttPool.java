package com.retailedge.sim.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A bounded pool of QoS 1 publishing connections. Thousands of simulated devices each with their
 * own TCP connection would measure the simulator, not the gateway, so devices share at most a
 * fixed number of connections, each device sticking to one so its messages stay in order.
 *
 * <p>Publishing never blocks: when a connection is down the send fails at once and the pacer moves
 * on. Paho reconnects by itself once a first connect succeeded; until then this class retries.
 */
public final class MqttPool implements AutoCloseable {
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private final MqttConnectOptions options;
    private final Map<String, Integer> assignment = new ConcurrentHashMap<>();
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-connect-retry");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /**
     * @param endpoint the broker
     * @param clientIdPrefix client ids are {@code prefix-i}
     * @param size number of connections
     * @param maxInflight unacknowledged QoS 1 messages allowed per connection
     */
    public MqttPool(MqttEndpoint endpoint, String clientIdPrefix, int size, int maxInflight) throws MqttException {
        this.options = endpoint.connectOptions(maxInflight);
        for (int i = 0; i < size; i++) {
            // Memory persistence: the default file persistence would litter the working directory.
            clients.add(new MqttAsyncClient(endpoint.url(), clientIdPrefix + "-" + i, new MemoryPersistence()));
        }
    }

    /** Starts connecting every client and waits up to {@code wait} for all of them. */
    public void start(Duration wait) throws InterruptedException {
        for (MqttAsyncClient c : clients) {
            connect(c);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (connectedCount() < clients.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private void connect(MqttAsyncClient client) {
        if (closed) {
            return;
        }
        IMqttActionListener again = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {}

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                // Paho's automatic reconnect only covers connections that were once up.
                retry.schedule(() -> connect(client), 1, TimeUnit.SECONDS);
            }
        };
        try {
            client.connect(options, null, again);
        } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CONNECT_IN_PROGRESS
                    && e.getReasonCode() != MqttException.REASON_CODE_CLIENT_CONNECTED) {
                retry.schedule(() -> connect(client), 1, TimeUnit.SECONDS);
            }
        }
    }

    /** Number of connections currently up. */
    public int connectedCount() {
        int n = 0;
        for (MqttAsyncClient c : clients) {
            if (c.isConnected()) {
                n++;
            }
        }
        return n;
    }

    /** Number of connections in the pool. */
    public int size() {
        return clients.size();
    }

    /**
     * Publishes with QoS 1 on the device's connection; {@code done} hears exactly once, possibly on
     * a Paho thread, possibly before this returns.
     */
    public void publish(String deviceId, String topic, byte[] payload, Consumer<Outcome> done) {
        int slot = assignment.computeIfAbsent(deviceId, k -> Math.floorMod(nextSlot.getAndIncrement(), clients.size()));
        MqttAsyncClient client = clients.get(slot);
        if (!client.isConnected()) {
            done.accept(Outcome.FAILED);
            return;
        }
        try {
            client.publish(topic, payload, 1, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.accept(Outcome.ACKED);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.accept(Outcome.FAILED);
                }
            });
        } catch (MqttException e) {
            // Not connected after all, or the in-flight window is full: count it and move on.
            done.accept(Outcome.FAILED);
        }
    }

    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        for (MqttAsyncClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect(1_000).waitForCompletion(2_000);
                }
            } catch (MqttException e) {
                // Shutting down anyway; a broker that does not answer DISCONNECT changes nothing.
            }
            try {
                c.close(true);
            } catch (MqttException e) {
                // As above.
            }
        }
    }
}
