package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.spi.DevicePublisher;
import com.retailedge.gateway.store.WriterThread;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces what the gateway publishes to devices: at most {@link #WINDOW} QoS 1 messages the broker has not yet
 * acknowledged, the rest waiting in order in a queue bounded by {@link #CAPACITY} messages. Without it a burst (a
 * thousand staff calls to fifty PDAs is 50,000 messages within a second) overran Paho's in-flight limit ("Too many
 * publishes in progress") and Moquette's session command queues ("Session command queue is full"), and both
 * dropped messages. Replies to PDA scans go ahead of the queue: a picker waits for them, a notice can wait.
 *
 * <p>Nothing here blocks: whoever offers (the writer's hand-off thread) or completes (Paho's callback thread)
 * sends what fits in the window and returns, and one sender at a time keeps each topic's order. A full queue
 * refuses the whole entry and counts it; what must survive that lives in SQLite (an open notice reaches a PDA
 * again when it reports {@code idle}). Messages are held, not sent, while the broker is away, and the in-flight
 * count starts again at every connection: what was in flight on the last one is the client's to resend or lose.
 */
public final class PublishWindow implements DevicePublisher, DeviceIngest.PdaReplies {
    private static final Logger LOG = LoggerFactory.getLogger(PublishWindow.class);
    /**
     * QoS 1 messages to devices the broker has not taken yet. The broker is in-process or on loopback and answers
     * in a fraction of a millisecond, so 128 is plenty for its pace and keeps Moquette's session queues (1,024
     * commands for all sessions of a loop) far from full.
     */
    public static final int WINDOW = 128;
    /** Messages waiting for the window: 2,000 notices to 50 PDAs; an entry holds ids, not copies (under 1 MB). */
    public static final int CAPACITY = 100_000;

    /** Sends one message; {@code connection} comes back in {@link #delivered(int)} once the broker has it. */
    interface Sender {
        void send(String topic, String json, int connection) throws Exception;
    }

    private final String pdaTopics;
    private final Sender sender;
    private final AtomicBoolean sending = new AtomicBoolean();

    // guarded by this
    /** Each holds one message, to a PDA's reply topic. */
    private final ArrayDeque<Outgoing> replies = new ArrayDeque<>();

    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    /** How many of the queue's head entry's messages were already sent. */
    private int sentOfQueueHead;

    private int waiting;
    private int inFlight;
    private int connection;
    private boolean connected;
    private long refused;
    private long failed;
    private long lastWarnNanos = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);

    PublishWindow(String storeId, Sender sender) {
        this.pdaTopics = "store/" + storeId + "/pda/";
        this.sender = sender;
    }

    /** A reply to a PDA's scan, ahead of everything else. */
    @Override
    public void reply(String pdaId, String json) {
        WriterThread.forbid("a reply to PDA " + pdaId);
        offer(Outgoing.one(pdaTopics + pdaId + "/reply", json), true);
    }

    @Override
    public void publish(String topic, String json) {
        WriterThread.forbid("an MQTT publish to " + topic);
        offer(Outgoing.one(topic, json), false);
    }

    @Override
    public void publishToEach(List<String> deviceIds, UnaryOperator<String> topicOf, String json) {
        WriterThread.forbid("an MQTT publish to " + deviceIds.size() + " devices");
        offer(Outgoing.toEach(deviceIds, topicOf, json), false);
    }

    @Override
    public void publishAll(String topic, List<String> jsons) {
        WriterThread.forbid("an MQTT publish to " + topic);
        offer(Outgoing.allTo(topic, jsons), false);
    }

    /** Queues messages behind those before them; refuses (and counts) them all if they do not all fit. */
    private void offer(Outgoing messages, boolean reply) {
        if (messages.size() == 0) {
            return;
        }
        synchronized (this) {
            if (waiting + messages.size() > CAPACITY) {
                refused += messages.size();
                warnAtMostEvery10s("the queue for devices is full ({} messages); {} refused", waiting, messages.size());
                return;
            }
            (reply ? replies : queue).addLast(messages);
            waiting += messages.size();
        }
        sendWhatFits();
    }

    /** The broker acknowledged a message sent on {@code connection}. */
    void delivered(int onConnection) {
        synchronized (this) {
            if (onConnection != connection || inFlight == 0) {
                return; // sent on a connection that is gone: already forgotten
            }
            inFlight--;
        }
        sendWhatFits();
    }

    /** A new connection: nothing of it is in flight yet. */
    void connected() {
        synchronized (this) {
            connection++;
            inFlight = 0;
            connected = true;
        }
        sendWhatFits();
    }

    /** The connection is gone: hold everything until the next one. */
    synchronized void lost() {
        connected = false;
        connection++;
        inFlight = 0;
    }

    /** Messages to devices waiting for room in the window. */
    public synchronized int waiting() {
        return waiting;
    }

    /** Messages refused because the queue was full, or that the broker or client would not take. */
    public synchronized long dropped() {
        return refused + failed;
    }

    /**
     * Sends while the window has room. One thread sends at a time; a thread that finds another sending leaves it
     * to that one, which looks again after it stops, so that a completion arriving meanwhile is not missed.
     */
    private void sendWhatFits() {
        while (sending.compareAndSet(false, true)) {
            try {
                sendLoop();
            } finally {
                sending.set(false);
            }
            synchronized (this) {
                if (!canSend()) {
                    return;
                }
            }
        }
    }

    private void sendLoop() {
        while (true) {
            String topic;
            String json;
            int on;
            synchronized (this) {
                if (!canSend()) {
                    return;
                }
                // Replies first, even in the middle of a longer entry: they have topics of their own, so no
                // topic's order changes.
                boolean reply = !replies.isEmpty();
                Outgoing head = reply ? replies.peekFirst() : queue.peekFirst();
                int i = reply ? 0 : sentOfQueueHead;
                topic = head.topic(i);
                json = head.json(i);
                advance(reply, head);
                inFlight++;
                on = connection;
            }
            try {
                sender.send(topic, json, on);
            } catch (Exception e) {
                synchronized (this) {
                    failed++;
                    if (on == connection && inFlight > 0) {
                        inFlight--;
                    }
                    warnAtMostEvery10s("cannot publish to {}: {}", topic, e.getMessage());
                }
            }
        }
    }

    private boolean canSend() {
        return connected && inFlight < WINDOW && waiting > 0;
    }

    private void advance(boolean reply, Outgoing head) {
        waiting--;
        if (reply) {
            replies.removeFirst();
        } else if (++sentOfQueueHead == head.size()) {
            queue.removeFirst();
            sentOfQueueHead = 0;
        }
    }

    private void warnAtMostEvery10s(String format, Object a, Object b) {
        long now = System.nanoTime();
        if (now - lastWarnNanos > TimeUnit.SECONDS.toNanos(10)) {
            lastWarnNanos = now;
            LOG.warn(format, a, b);
        }
    }
}
