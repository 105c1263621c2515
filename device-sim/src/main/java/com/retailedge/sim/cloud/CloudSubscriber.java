package com.retailedge.sim.cloud;

import com.retailedge.sim.transport.MqttEndpoint;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A QoS 1, clean-session subscriber on the cloud broker. With a clean session the broker forgets
 * subscriptions on every reconnect, so it subscribes again each time the connection comes back.
 * Messages are handed over on Paho's callback thread, in arrival order.
 */
public final class CloudSubscriber implements AutoCloseable {
    private final MqttAsyncClient client;
    private final MqttEndpoint endpoint;
    private final String topicFilter;

    /**
     * @param endpoint the cloud broker
     * @param clientId a unique client id
     * @param topicFilter e.g. {@code retail/s001/events} or {@code store/#}
     * @param onMessage gets (topic, payload bytes) for each message
     */
    public CloudSubscriber(
            MqttEndpoint endpoint, String clientId, String topicFilter, BiConsumer<String, byte[]> onMessage)
            throws MqttException {
        this.endpoint = endpoint;
        this.topicFilter = topicFilter;
        this.client = new MqttAsyncClient(endpoint.url(), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                if (reconnect) {
                    try {
                        client.subscribe(topicFilter, 1);
                    } catch (MqttException e) {
                        System.err.println("cloud: re-subscribe failed: " + e.getMessage());
                    }
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("cloud: connection lost (" + cause + "), reconnecting");
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    }

    /**
     * Connects and subscribes, returning once the broker granted the subscription, so that whatever
     * is sent afterwards is seen.
     */
    public void start(long timeoutMillis) throws MqttException {
        client.connect(endpoint.connectOptions(1000)).waitForCompletion(timeoutMillis);
        client.subscribe(topicFilter, 1).waitForCompletion(timeoutMillis);
    }

    /** Whether the connection is currently up. */
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            // Shutting down anyway.
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // As above.
        }
    }
}
