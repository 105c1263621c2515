package com.retailedge.gateway.testsupport;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import static java.nio.charset.StandardCharsets.UTF_8;

/** The cloud backend's side of CONTRACT §4: a command published with QoS 1 on retail/{storeId}/commands/{kind}. */
public final class CloudCommands {
    private CloudCommands() {}

    /**
     * Options for a backend client that publishes commands back to back. Paho's synchronous publish can return
     * before its in-flight count is released, so the default window of 10 is refused now and then ("Too many
     * publishes in progress") in a quick burst.
     */
    public static MqttConnectOptions backendOptions() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMaxInflight(1000);
        return options;
    }

    /** Publishes one command through a backend client the test keeps connected. */
    public static void send(MqttClient backend, String kind, String json) throws MqttException {
        MqttMessage message = new MqttMessage(json.getBytes(UTF_8));
        message.setQos(1);
        backend.publish("retail/" + GatewayEnv.STORE + "/commands/" + kind, message);
    }

    /** Publishes one command through a short-lived backend connection to the cloud broker. */
    public static void send(Mosquitto cloud, String kind, String json) throws MqttException {
        MqttClient backend = new MqttClient(cloud.url(), "backend-" + System.nanoTime(), new MemoryPersistence());
        backend.connect(backendOptions());
        try {
            send(backend, kind, json);
        } finally {
            backend.disconnect();
            backend.close();
        }
    }
}
