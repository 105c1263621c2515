package com.retailedge.gateway.cloud;

import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.security.PemTls;
import java.io.IOException;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Makes and disposes of the Paho clients of the cloud link; each connection attempt gets a fresh one. The events
 * link is a clean session (the outbox is its session); the commands link a persistent one (see {@link CommandLink}).
 */
final class CloudClients {
    private static final long CONNECT_WAIT_MS = 15_000;

    private final GatewayConfig.Cloud config;

    /**
     * The longest wait after a connect the cloud's host refused outright (nothing listening, no route): such an
     * attempt costs the cloud nothing (no TLS, no session), and it is what a broker restart or a cloud deploy looks
     * like, so both links notice the broker back within a second instead of after a back-off grown during the
     * outage. Every other failure (timeouts, TLS, a refused login) backs off up to {@code cloud.reconnect-max}.
     */
    static final long REFUSED_RETRY_MS = 1000;

    CloudClients(GatewayConfig.Cloud config) {
        this.config = config;
    }

    /** Connects the clean-session events client, or throws; never leaves a half-open client behind. */
    MqttAsyncClient connect(MqttCallback callback) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(config.url(), config.clientId(), new MemoryPersistence());
        try {
            client.setCallback(callback);
            client.connect(options(true)).waitForCompletion(CONNECT_WAIT_MS);
            return client;
        } catch (MqttException e) {
            close(client);
            throw e;
        }
    }

    /**
     * A persistent-session client under {@code clientId} with manual acknowledgements, not connected yet: the
     * broker may deliver the moment it is, so its callback must be able to acknowledge through it.
     */
    MqttAsyncClient persistentClient(String clientId, MqttCallback callback) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(config.url(), clientId, new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(callback);
        return client;
    }

    /**
     * Connects a {@link #persistentClient} and subscribes it to {@code filter} at QoS 1, or closes it and throws.
     * The broker keeps what it could not deliver, and what it delivered but saw no PUBACK for, for the next
     * connection under the same id.
     */
    void connectPersistent(MqttAsyncClient client, String filter) throws MqttException {
        try {
            client.connect(options(false)).waitForCompletion(CONNECT_WAIT_MS);
            client.subscribe(filter, 1).waitForCompletion(CONNECT_WAIT_MS);
        } catch (MqttException e) {
            close(client);
            throw e;
        }
    }

    private MqttConnectOptions options(boolean cleanSession) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(config.window());
        options.setKeepAliveInterval((int) Math.max(1, config.keepAlive().toSeconds()));
        options.setConnectionTimeout(10);
        if (config.caFile() != null || config.certFile() != null) {
            // Read at every attempt: certificate files renewed on disk are taken at the next reconnect.
            try {
                options.setSocketFactory(PemTls.context(config.caFile(), config.certFile(), config.keyFile())
                        .getSocketFactory());
            } catch (IOException e) {
                throw new MqttException(e);
            }
        } else if (config.url().startsWith("tcp://")) {
            options.setSocketFactory(BufferedReadSockets.INSTANCE);
        }
        if (!config.username().isEmpty()) {
            options.setUserName(config.username());
            options.setPassword(config.password().toCharArray());
        }
        return options;
    }

    static void close(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 500);
            }
        } catch (MqttException ignored) {
            // already gone
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }

    /** The TCP connect itself was refused or had no route: nothing was listening, no handshake took place. */
    static boolean refusedOutright(MqttException e) {
        Throwable cause = e.getCause();
        return cause instanceof java.net.ConnectException || cause instanceof java.net.NoRouteToHostException;
    }

    /** The wait before the next connect: the back-off, but at most {@link #REFUSED_RETRY_MS} after a refusal. */
    static long retryWait(long backoffMs, boolean refused) {
        return refused ? Math.min(backoffMs, REFUSED_RETRY_MS) : backoffMs;
    }
}
