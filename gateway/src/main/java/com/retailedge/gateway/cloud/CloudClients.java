package com.retailedge.gateway.cloud;

import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.security.PemTls;
import java.io.IOException;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Makes and disposes of the Paho clients of the cloud link; each connection attempt gets a fresh one. */
final class CloudClients {
    private static final long CONNECT_WAIT_MS = 15_000;

    private final GatewayConfig.Cloud config;
    private final String commandsFilter;

    CloudClients(GatewayConfig.Cloud config, String commandsFilter) {
        this.config = config;
        this.commandsFilter = commandsFilter;
    }

    /** Connects and subscribes to the commands, or throws; never leaves a half-open client behind. */
    MqttAsyncClient connect(MqttCallback callback) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(config.url(), config.clientId(), new MemoryPersistence());
        try {
            client.setCallback(callback);
            client.connect(options()).waitForCompletion(CONNECT_WAIT_MS);
            client.subscribe(commandsFilter, 1).waitForCompletion(CONNECT_WAIT_MS);
            return client;
        } catch (MqttException e) {
            close(client);
            throw e;
        }
    }

    private MqttConnectOptions options() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        // The outbox is our session: a clean session avoids a second, broker-side copy of the queue.
        options.setCleanSession(true);
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
}
