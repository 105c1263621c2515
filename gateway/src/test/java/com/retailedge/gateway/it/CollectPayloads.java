package com.retailedge.gateway.it;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/** A Paho callback that adds the payload of every message it hears, as text, to {@code heard}. */
record CollectPayloads(Collection<String> heard) implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        heard.add(new String(message.getPayload(), StandardCharsets.UTF_8));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
}
