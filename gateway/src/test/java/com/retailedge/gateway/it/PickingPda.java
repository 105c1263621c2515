package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.MqttDevice;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * A picker's PDA over real MQTT: publishes scans, shorts, substitutions and status at QoS 1 and hears its
 * replies and pick lists on its own topics.
 */
final class PickingPda implements AutoCloseable {
    private final String pdaId;
    private final String prefix;
    private final MqttDevice device;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> tasks = new LinkedBlockingQueue<>();
    private final Thread sorter;

    PickingPda(String mqttUrl, String storeId, String pdaId) throws MqttException, InterruptedException {
        this(mqttUrl, storeId, pdaId, null);
    }

    /** With {@code willMsgId}: leaves a will that says {@code off} on its status topic, as a real PDA should. */
    PickingPda(String mqttUrl, String storeId, String pdaId, String willMsgId)
            throws MqttException, InterruptedException {
        this.pdaId = pdaId;
        this.prefix = "store/" + storeId + "/pda/" + pdaId + "/";
        this.device = (willMsgId == null
                        ? new MqttDevice(mqttUrl)
                        : new MqttDevice(
                                mqttUrl, prefix + "status", "{\"msgId\":\"" + willMsgId + "\",\"state\":\"off\"}"))
                .subscribe(prefix + "reply")
                .subscribe(prefix + "task");
        this.sorter = new Thread(this::sort, "pda-" + pdaId);
        sorter.setDaemon(true);
        sorter.start();
    }

    private void sort() {
        try {
            while (true) {
                MqttDevice.Received r = device.next(3600);
                if (r == null) {
                    continue;
                }
                (r.topic().endsWith("/task") ? tasks : replies).add(ApiClient.parse(r.payload()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String id() {
        return pdaId;
    }

    void status(String msgId, String state) throws MqttException {
        device.publish(prefix + "status", "{\"msgId\":\"" + msgId + "\",\"state\":\"" + state + "\"}");
    }

    /** Scans and waits for the answer to this msgId. */
    JsonNode scan(String msgId, String orderId, String barcode, int qty) throws Exception {
        device.publish(
                prefix + "scan",
                "{\"msgId\":\"" + msgId + "\",\"orderId\":\"" + orderId + "\",\"barcode\":\""
                        + barcode.replace("\u001d", "\\u001d") + "\",\"qty\":" + qty + "}");
        return reply(msgId);
    }

    JsonNode shortPick(String msgId, String orderId, String sku, String reason) throws Exception {
        device.publish(
                prefix + "short",
                "{\"msgId\":\"" + msgId + "\",\"orderId\":\"" + orderId + "\",\"sku\":\"" + sku + "\",\"reason\":\""
                        + reason + "\"}");
        return reply(msgId);
    }

    JsonNode substitute(String msgId, String orderId, String sku, String barcode, int qty) throws Exception {
        device.publish(
                prefix + "substitute",
                "{\"msgId\":\"" + msgId + "\",\"orderId\":\"" + orderId + "\",\"sku\":\"" + sku + "\",\"barcode\":\""
                        + barcode + "\",\"qty\":" + qty + "}");
        return reply(msgId);
    }

    /** The next reply, which must answer {@code msgId} (one PDA's replies come in the order it sent). */
    JsonNode reply(String msgId) throws InterruptedException {
        JsonNode reply = replies.poll(20, TimeUnit.SECONDS);
        if (reply == null) {
            throw new AssertionError(pdaId + " heard no reply to " + msgId);
        }
        if (!msgId.equals(reply.path("msgId").asText())) {
            throw new AssertionError(pdaId + " expected the reply to " + msgId + " but got " + reply);
        }
        return reply;
    }

    /** The next pick list that satisfies {@code wanted}, skipping older ones. */
    JsonNode task(java.util.function.Predicate<JsonNode> wanted) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            JsonNode task = tasks.poll(1, TimeUnit.SECONDS);
            if (task != null && wanted.test(task)) {
                return task;
            }
        }
        throw new AssertionError(pdaId + " got no matching pick list");
    }

    @Override
    public void close() throws MqttException {
        sorter.interrupt();
        device.close();
    }
}
