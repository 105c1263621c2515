package com.retailedge.gateway.cloud;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.ops.CloudLink;
import com.retailedge.gateway.ops.CloudLinkState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's command subscription ({@code retail/{storeId}/commands/#}) on a connection of its own: a persistent
 * session under a stable client id ({@code cloud.client-id} plus {@code -commands}), QoS 1, manual
 * acknowledgements. A command is PUBACKed only once {@link CommandIntake} has committed its outcome (applied,
 * duplicate, or kept as a dead letter), so the broker keeps every command published while the gateway is down,
 * and redelivers every command it delivered but saw no PUBACK for.
 *
 * <p>Commands of one connection are applied strictly one after another, in the order the broker sent them. When
 * the store cannot take one (writer overloaded or failing), it and every later command of that connection stay
 * unacknowledged and the connection is replaced after a back-off: the broker then delivers them again, in order.
 * The Paho callback thread never waits: it only chains the command onto the previous one.
 *
 * <p>Threads: {@code cloud-commands} connects and reconnects; {@code cloud-command-acks} applies and acknowledges.
 */
public final class CommandLink implements CloudLink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLink.class);

    private final GatewayConfig.Cloud config;
    private final String clientId;
    private final String filter;
    private final CloudClients clients;
    private final CommandIntake commands;
    private final Object lock = new Object();
    private final ExecutorService acks;
    private final Thread thread;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter rejected;
    private final Counter refused;
    private volatile boolean running = true;
    private volatile CloudLinkState state = CloudLinkState.DISCONNECTED;
    private volatile String lastError = "";
    /** Guarded by the lock: the live connection and whether it must be replaced. */
    private Connection current;
    /** The last connection made: a new one's commands start only after its commands are done. */
    private Connection previousTail;

    public CommandLink(GatewayConfig.Cloud config, String storeId, CommandIntake commands, MeterRegistry metrics) {
        this.config = config;
        this.clientId = config.clientId() + "-commands";
        this.filter = "retail/" + storeId + "/commands/#";
        this.clients = new CloudClients(config);
        this.commands = commands;
        this.acks = Executors.newSingleThreadExecutor(DaemonThreads.named("cloud-command-acks"));
        this.applied = outcomes(metrics, "applied");
        this.duplicates = outcomes(metrics, "duplicate");
        this.rejected = outcomes(metrics, "rejected");
        this.refused = outcomes(metrics, "refused");
        metrics.gauge("gateway_cloud_commands_connected", this, l -> l.state == CloudLinkState.CONNECTED ? 1 : 0);
        this.thread = new Thread(this::run, "cloud-commands");
        this.thread.setDaemon(true);
    }

    private static Counter outcomes(MeterRegistry metrics, String outcome) {
        return Counter.builder("gateway_cloud_commands")
                .tag("outcome", outcome)
                .description("cloud commands by outcome; refused: the store could not take it, left for redelivery")
                .register(metrics);
    }

    public void start() {
        thread.start();
    }

    @Override
    public CloudLinkState state() {
        return state;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    /** The client id of the persistent session at the cloud broker. */
    public String clientId() {
        return clientId;
    }

    /** cloud-commands thread only: the last connect failed because the host refused it outright. */
    private boolean lastConnectRefused;

    private void run() {
        long backoffMs = 500;
        while (running) {
            Connection live;
            synchronized (lock) {
                live = current;
            }
            if (live != null && !live.lost) {
                waitQuietly(1000);
                continue;
            }
            if (live != null) {
                drop(live);
                // a connection given up because the store refused a command: give the store time before redelivery
                waitQuietly(jitter(backoffMs));
                backoffMs = Math.min(backoffMs * 2, config.reconnectMax().toMillis());
            }
            if (!running) {
                break;
            }
            if (connect()) {
                backoffMs = 500;
            } else {
                waitQuietly(jitter(CloudClients.retryWait(backoffMs, lastConnectRefused)));
                backoffMs = Math.min(backoffMs * 2, config.reconnectMax().toMillis());
            }
        }
        state = CloudLinkState.STOPPED;
    }

    private boolean connect() {
        state = CloudLinkState.CONNECTING;
        Connection connection;
        synchronized (lock) {
            connection = new Connection(previousTail);
        }
        try {
            connection.client = clients.persistentClient(clientId, connection);
            clients.connectPersistent(connection.client, filter);
            synchronized (lock) {
                current = connection;
            }
            previousTail = connection;
            state = CloudLinkState.CONNECTED;
            LOG.info("command link to the cloud at {} up (persistent session {})", config.url(), clientId);
            return true;
        } catch (MqttException e) {
            lastError = "connect to " + config.url() + " failed: " + e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause());
            LOG.debug(lastError);
            lastConnectRefused = CloudClients.refusedOutright(e);
            state = CloudLinkState.DISCONNECTED;
            return false;
        }
    }

    private void drop(Connection connection) {
        synchronized (lock) {
            if (current == connection) {
                current = null;
            }
        }
        state = CloudLinkState.DISCONNECTED;
        CloudClients.close(connection.client);
    }

    private void waitQuietly(long ms) {
        synchronized (lock) {
            if (running) {
                try {
                    lock.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private static long jitter(long ms) {
        return ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection live;
        synchronized (lock) {
            live = current;
            current = null;
        }
        if (live != null) {
            CloudClients.close(live.client);
        }
        acks.shutdown();
        try {
            acks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = CloudLinkState.STOPPED;
    }

    /** One connection: its client, its chain of commands, and whether it has been given up. */
    private final class Connection implements MqttCallback {
        private volatile MqttAsyncClient client;
        private volatile boolean lost;
        /**
         * Only the Paho callback thread moves this; each command starts when the one before it is done, the first
         * when the commands of the connection before are (their repeats on this one are then duplicates).
         */
        private volatile CompletableFuture<Void> tail;

        Connection(Connection before) {
            tail = before == null ? CompletableFuture.completedFuture(null) : before.tail.handle((ok, failure) -> null);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            int id = message.getId();
            byte[] payload = message.getPayload();
            tail = tail.thenComposeAsync(previous -> commands.receive(topic, payload), acks)
                    .thenAcceptAsync(
                            outcome -> {
                                count(outcome);
                                acknowledge(id, topic);
                            },
                            acks)
                    .whenCompleteAsync(
                            (ok, failure) -> {
                                if (failure != null) {
                                    refuse(topic, failure);
                                }
                            },
                            acks);
        }

        private void acknowledge(int id, String topic) {
            try {
                client.messageArrivedComplete(id, 1);
            } catch (MqttException | RuntimeException e) {
                // The link went away after the commit: the broker delivers the command again, and the intake
                // answers that repeat as a duplicate.
                LOG.debug("PUBACK of command on {} not sent: {}", topic, e.getMessage());
            }
        }

        private void refuse(String topic, Throwable failure) {
            if (!lost) {
                refused.increment();
                Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                lastError = "the store could not take the command on " + topic + ": " + cause.getMessage()
                        + "; it stays with the broker for redelivery";
                LOG.warn(lastError);
                giveUp();
            }
            // every later command of this connection fails along the chain, unacknowledged: the broker keeps them
        }

        private void giveUp() {
            lost = true;
            synchronized (lock) {
                lock.notifyAll();
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (!lost) {
                lastError = "command link lost: " + (cause == null ? "connection closed" : cause.getMessage());
                LOG.warn(lastError);
            }
            giveUp();
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // this client publishes nothing
        }
    }

    private void count(CommandIntake.Outcome outcome) {
        switch (outcome) {
            case APPLIED -> applied.increment();
            case DUPLICATE -> duplicates.increment();
            case REJECTED -> rejected.increment();
            default -> {}
        }
    }
}
