package com.retailedge.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.sim.transport.MqttEndpoint;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Hears the gateway's replies to this run's PDA scans and counts the refusals by reason. A PUBACK only says the
 * gateway stored the message; a refused scan was stored as a dead letter, and only its reply tells the device.
 * Where the broker refuses a listener (device login required), the run goes on and says so.
 */
final class PdaReplies implements MqttCallback, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttEndpoint endpoint;
    private final String topic;
    private final String runSuffix;
    private final LongAdder refused = new LongAdder();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    private MqttClient client;

    PdaReplies(MqttEndpoint endpoint, String storeId, String runId) {
        this.endpoint = endpoint;
        this.topic = "store/" + storeId + "/pda/+/reply";
        this.runSuffix = "-" + runId;
    }

    /** Subscribes to every PDA's reply topic. */
    void listen() {
        try {
            client = new MqttClient(endpoint.url(), "sim-replies-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(this);
            client.connect(endpoint.connectOptions(10));
            client.subscribe(topic, 1);
        } catch (MqttException e) {
            System.out.println("PDA replies not heard (" + e.getMessage() + "): refused scans are not counted");
            close();
        }
    }

    long refused() {
        return refused.sum();
    }

    /** Refused scans per reason code, in name order. */
    Map<String, Long> byReason() {
        Map<String, Long> m = new TreeMap<>();
        reasons.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        try {
            JsonNode reply = JSON.readTree(message.getPayload());
            String msgId = reply.path("msgId").asText("");
            if (msgId.endsWith(runSuffix)
                    && "rejected".equals(reply.path("result").asText())) {
                refused.increment();
                reasons.computeIfAbsent(reply.path("reason").asText("unknown"), k -> new LongAdder())
                        .increment();
            }
        } catch (java.io.IOException e) {
            // not a reply this run can read; not ours to count
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        // automatic reconnect re-subscribes nothing on a clean session, so the count stops; the summary still prints
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // subscribe only
    }

    @Override
    public void close() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close();
        } catch (MqttException e) {
            // closing anyway
        }
        client = null;
    }
}
