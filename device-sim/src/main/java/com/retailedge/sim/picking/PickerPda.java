package com.retailedge.sim.picking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.sim.device.Ean13;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One picker's PDA: logs in (status {@code idle}), takes the first order of its pick list, walks its lines
 * scanning one item at a time and waits for each answer before the next scan, like a picker waiting for the
 * beep. With probability {@code mistakeRate} a scan is a mistake instead: a wrong item, a bad check digit,
 * an over-pick, or the previous scan repeated with its msgId. All state is guarded by the object's lock.
 */
final class PickerPda implements MqttCallback {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String pdaId;
    private final String prefix;
    private final PickCatalog catalog;
    private final double mistakeRate;
    private final long pauseNanos;
    private final Random rnd;
    private final PickStats stats;
    private final ScheduledExecutorService scheduler;
    private final MqttAsyncClient client;
    private final String runId;

    private JsonNode latestTask;
    private final Set<String> finished = new HashSet<>();
    private String orderId;
    private final Deque<String> toScan = new ArrayDeque<>();
    private final Set<String> orderSkus = new HashSet<>();
    private final List<String> scanned = new ArrayList<>();
    private String lastPayload;
    private String waitingFor;
    private long sentAt;
    private long seq;
    private volatile boolean running = true;

    PickerPda(
            String pdaId,
            String mqttUrl,
            String storeId,
            String runId,
            PickCatalog catalog,
            double mistakeRate,
            long pauseNanos,
            Random rnd,
            PickStats stats,
            ScheduledExecutorService scheduler)
            throws MqttException {
        this.pdaId = pdaId;
        this.prefix = "store/" + storeId + "/pda/" + pdaId + "/";
        this.runId = runId;
        this.catalog = catalog;
        this.mistakeRate = mistakeRate;
        this.pauseNanos = pauseNanos;
        this.rnd = rnd;
        this.stats = stats;
        this.scheduler = scheduler;
        this.client = new MqttAsyncClient(mqttUrl, "picker-" + pdaId + "-" + runId, new MemoryPersistence());
    }

    void start() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(100);
        // If this PDA vanishes (process killed, link gone), the broker says it is off for it.
        options.setWill(
                prefix + "status",
                ("{\"msgId\":\"" + runId + "-" + pdaId + "-will\",\"state\":\"off\"}").getBytes(StandardCharsets.UTF_8),
                1,
                false);
        client.setCallback(this);
        client.connect(options).waitForCompletion(10_000);
        client.subscribe(new String[] {prefix + "reply", prefix + "task"}, new int[] {1, 1})
                .waitForCompletion(10_000);
        publish("status", "{\"msgId\":\"" + runId + "-" + pdaId + "-login\",\"state\":\"idle\"}");
    }

    /** Sends no new scan from now on; answers still arriving are counted. */
    void finish() {
        running = false;
    }

    /** Logs out ({@code off}: the gateway puts its unfinished orders back to waiting), then disconnects. */
    void stop() {
        running = false;
        try {
            if (client.isConnected()) {
                client.publish(
                                prefix + "status",
                                ("{\"msgId\":\"" + runId + "-" + pdaId + "-logoff\",\"state\":\"off\"}")
                                        .getBytes(StandardCharsets.UTF_8),
                                1,
                                false)
                        .waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            // the gateway finds it gone when the connection closes
        }
        try {
            client.disconnect().waitForCompletion(5_000);
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close();
        } catch (MqttException e) {
            // closed
        }
    }

    /** True when a scan was sent and no answer came; counted as unanswered at the end. */
    synchronized boolean waiting() {
        return waitingFor != null;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        JsonNode body = JSON.readTree(new String(message.getPayload(), StandardCharsets.UTF_8));
        if (topic.endsWith("/task")) {
            task(body);
        } else {
            reply(body);
        }
    }

    private synchronized void task(JsonNode task) {
        latestTask = task;
        if (orderId == null && waitingFor == null) {
            startNextOrder();
        }
    }

    private synchronized void reply(JsonNode reply) {
        String msgId = reply.path("msgId").asText();
        if (!msgId.equals(waitingFor)) {
            return;
        }
        stats.reply(
                reply.path("result").asText(),
                reply.hasNonNull("reason") ? reply.get("reason").asText() : null,
                System.nanoTime() - sentAt);
        waitingFor = null;
        if (reply.path("orderDone").asBoolean(false)) {
            finished.add(orderId);
            stats.ordersDone.increment();
            orderId = null;
            startNextOrder();
            return;
        }
        long wait = Math.max(0, sentAt + pauseNanos - System.nanoTime());
        scheduler.schedule(this::scanNext, wait, TimeUnit.NANOSECONDS);
    }

    /** Takes the first order of the latest pick list not finished yet; without one, waits for the next list. */
    private void startNextOrder() {
        if (latestTask == null) {
            return;
        }
        for (JsonNode order : latestTask.path("orders")) {
            String id = order.get("orderId").asText();
            if (finished.contains(id)) {
                continue;
            }
            orderId = id;
            toScan.clear();
            orderSkus.clear();
            scanned.clear();
            lastPayload = null;
            for (JsonNode line : order.get("lines")) {
                orderSkus.add(line.get("sku").asText());
                for (int i = 0; i < line.path("left").asInt(); i++) {
                    toScan.add(line.get("sku").asText());
                }
            }
            scheduler.schedule(this::scanNext, pauseNanos, TimeUnit.NANOSECONDS);
            return;
        }
    }

    private synchronized void scanNext() {
        if (!running || orderId == null || waitingFor != null) {
            return;
        }
        if (toScan.isEmpty()) {
            // Everything scanned but no orderDone: the order changed under us; wait for the next pick list.
            finished.add(orderId);
            orderId = null;
            return;
        }
        if (rnd.nextDouble() < mistakeRate) {
            mistake();
            return;
        }
        String sku = toScan.poll();
        scanned.add(sku);
        scan(nextMsgId(), catalog.gtin(sku));
    }

    private void mistake() {
        stats.mistakes.increment();
        int kind = rnd.nextInt(4);
        if (kind == 3 && lastPayload != null) {
            send(lastPayload, parse(lastPayload).get("msgId").asText());
            return;
        }
        String gtin = catalog.gtin(toScan.peek());
        if (kind == 1) {
            gtin = Ean13.withWrongCheckDigit(gtin);
        } else if (kind == 2 && !scanned.isEmpty() && !toScan.contains(scanned.get(scanned.size() - 1))) {
            gtin = catalog.gtin(scanned.get(scanned.size() - 1));
        } else {
            gtin = catalog.otherThan(orderSkus);
        }
        scan(nextMsgId(), gtin);
    }

    private void scan(String msgId, String gtin) {
        Map<String, Object> scan = new LinkedHashMap<>();
        scan.put("msgId", msgId);
        scan.put("orderId", orderId);
        scan.put("barcode", gtin);
        scan.put("qty", 1);
        try {
            String payload = JSON.writeValueAsString(scan);
            lastPayload = payload;
            send(payload, msgId);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(String payload, String msgId) {
        waitingFor = msgId;
        sentAt = System.nanoTime();
        stats.sent();
        try {
            client.publish(prefix + "scan", payload.getBytes(StandardCharsets.UTF_8), 1, false);
        } catch (MqttException e) {
            waitingFor = null;
            stats.unanswered.incrementAndGet();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String nextMsgId() {
        return runId + "-" + pdaId + "-" + (++seq);
    }

    private void publish(String leaf, String json) throws MqttException {
        client.publish(prefix + leaf, json.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    @Override
    public void connectionLost(Throwable cause) {
        running = false;
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // QoS 1 acknowledgements need no handling: the reply is what is timed
    }
}
