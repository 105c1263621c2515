package com.retailedge.gateway.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.config.ConfigKeys;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.PdaActions;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.Prune;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one path every device message takes, whatever transport brought it: decode, validate, then make it
 * durable through the single writer, either as accepted state and events or as a dead letter. The future
 * completes after commit; only then may the transport acknowledge the device.
 */
public final class DeviceIngest implements AutoCloseable {
    /** Publishes an answer to a PDA; implemented by the in-store MQTT adapter. */
    public interface PdaReplies {
        void reply(String pdaId, String json);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The default of mqtt.reply-queue, read from the key: one source of it. */
    public static final int MAX_QUEUED_REPLIES = ConfigKeys.MQTT_REPLY_QUEUE.read(Map.of());
    /** How long a device waits for its message to be durable before it is refused (no PUBACK, 5.03). */
    public static final java.time.Duration DURABLE_WAIT = java.time.Duration.ofSeconds(5);
    /** One for the process: the waits of every transport end on one sweep. */
    private static final DurableDeadlines DEADLINES =
            new DurableDeadlines(DURABLE_WAIT, java.time.Duration.ofMillis(100));
    /** No stack trace: under a flood this is made thousands of times a second. */
    private static final RejectedExecutionException OVERLOADED =
            new RejectedExecutionException(
                    "the gateway is overloaded: too many device messages are waiting for the store", null) {
                @Override
                public synchronized Throwable fillInStackTrace() {
                    return this;
                }
            };

    private final SqliteWriter writer;
    private final Outbox outbox;
    private final DeviceRegistry registry;
    private final DeadLetters deadLetters;
    private final MessageEffects effects;
    private final MeterRegistry metrics;
    private static final int CHANNELS = Channel.values().length + 1;
    private static final int OUTCOMES = IngestResult.Outcome.values().length + 1;
    /** Racy lazy init is fine: Micrometer returns the same counter for the same name and tags. */
    private final Counter[] counters = new Counter[Transport.values().length * CHANNELS * OUTCOMES];
    /**
     * Publishing is slower than committing; it must not hold up the writer thread. Its queue is bounded: when the
     * in-store broker cannot keep up, a reply is dropped (and counted) rather than held; the PDA that misses it
     * resends and hears the stored reply again.
     */
    private final ThreadPoolExecutor replySender;

    private final InFlightBudget budget;
    private final PdaReplies replies;
    private final PdaActions pdaActions;

    /**
     * The ingest path with the capabilities' effects, PDA rules and label reports; PDA replies go out through
     * {@code replies}, at most {@code replyQueue} waiting (mqtt.reply-queue); {@code budget} bounds what waits for
     * the store.
     */
    public DeviceIngest(
            SqliteWriter writer,
            Outbox outbox,
            DeviceRegistry registry,
            DeadLetters deadLetters,
            Capabilities capabilities,
            PdaReplies replies,
            int replyQueue,
            InFlightBudget budget,
            MeterRegistry metrics) {
        this.replySender = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(replyQueue),
                DaemonThreads.named("pda-replies"),
                (task, executor) -> repliesDropped().increment());
        this.writer = writer;
        this.outbox = outbox;
        this.registry = registry;
        this.deadLetters = deadLetters;
        this.effects = new MessageEffects(outbox, registry, capabilities);
        this.metrics = metrics;
        this.pdaActions = effects.pdaActions;
        this.replies = replies;
        this.budget = budget;
    }

    /** With no capability: device messages are recorded and scans taken as a plain scanner's; no replies go out. */
    public DeviceIngest(
            SqliteWriter writer,
            Outbox outbox,
            DeviceRegistry registry,
            DeadLetters deadLetters,
            MeterRegistry metrics) {
        this(
                writer,
                outbox,
                registry,
                deadLetters,
                Capabilities.of(),
                (pdaId, json) -> {},
                MAX_QUEUED_REPLIES,
                new InFlightBudget(InFlightBudget.MAX_MESSAGES, InFlightBudget.MAX_BYTES, metrics),
                metrics);
    }

    /** Expired msgId records (what makes a resend a duplicate): housekeeping deletes them after the retention. */
    public static Prune expiredMessageIds() {
        return Prune.rows("device_message", "device_id, msg_id", "received_at < :before");
    }

    private Counter repliesDropped() {
        return Counter.builder("gateway_pda_replies_dropped")
                .description("PDA replies not published because the reply queue was full")
                .register(metrics);
    }

    /**
     * Takes one device message addressed to {@code target}. Completes with the outcome once durable; completes
     * exceptionally only when the store cannot write, or when too many messages already wait for it
     * ({@link InFlightBudget}): the device must then not be acknowledged.
     */
    public CompletableFuture<IngestResult> submit(
            Transport transport, String address, DeviceAddress target, byte[] payload) {
        if (!budget.tryAcquire(payload.length)) {
            count(transport, target.channel(), null);
            return CompletableFuture.failedFuture(OVERLOADED);
        }
        return withDeadline(decodeAndStore(transport, address, target, payload)
                .whenComplete((r, f) -> budget.release(payload.length)));
    }

    /**
     * The device's wait for durability ends: a store that has not committed within {@link #DURABLE_WAIT} (wedged, or
     * far behind) fails the wait, so the gate closes the connection without a PUBACK and CoAP answers 5.03, and the
     * device keeps its message and sends it again. The work itself stays queued; if it commits later, the resend is
     * a duplicate by its msgId. The in-flight budget is released only when the work really ends.
     */
    private static CompletableFuture<IngestResult> withDeadline(CompletableFuture<IngestResult> durable) {
        return DEADLINES.bound(durable);
    }

    private CompletableFuture<IngestResult> decodeAndStore(
            Transport transport, String address, DeviceAddress target, byte[] payload) {
        DeviceMessage message;
        try {
            message = PayloadDecoder.decode(target.channel(), target.deviceId(), payload);
            check(message);
        } catch (Rejection rejection) {
            return reject(transport, address, target, rejection, payload, msgIdOf(payload));
        }
        return writer.submit(tx -> accept(tx, transport, address, message, payload))
                .whenComplete((result, failure) -> afterDurable(transport, target, result, failure));
    }

    /** Keeps input that has no valid device address (an unknown topic or path) as a dead letter. */
    public CompletableFuture<IngestResult> rejectUnaddressed(
            Transport transport, String address, Rejection rejection, byte[] payload) {
        if (!budget.tryAcquire(payload.length)) {
            count(transport, null, null);
            return CompletableFuture.failedFuture(OVERLOADED);
        }
        return withDeadline(keepDeadLetter(transport, address, null, rejection, payload, null)
                .whenComplete((r, f) -> {
                    budget.release(payload.length);
                    count(transport, null, r);
                }));
    }

    private void check(DeviceMessage message) throws Rejection {
        if (!registry.isRegistered(message.deviceId(), message.channel().kind())) {
            throw new Rejection(
                    RejectReason.UNKNOWN_DEVICE,
                    "device '" + message.deviceId() + "' is not registered as a "
                            + message.channel().kind().wire());
        }
        if (outbox.isFull()) {
            throw new Rejection(RejectReason.OUTBOX_FULL, "the outbox holds its configured maximum of unsent events");
        }
    }

    private IngestResult accept(Tx tx, Transport transport, String address, DeviceMessage message, byte[] payload)
            throws SQLException {
        if (!message.channel().answered()) {
            if (!remember(tx, message, null)) {
                return IngestResult.duplicate(null);
            }
            effects.apply(tx, message);
            return IngestResult.accepted(null);
        }
        // A PDA action is judged here, in the transaction that records it, so the stored reply is the answer a
        // repeated msgId hears again, and the judgement sees every earlier pick.
        String[] previous = storedReply(tx, message);
        if (previous != null) {
            return IngestResult.duplicate(previous[0]);
        }
        PdaActions.Answer answer = pdaActions.answer(tx, message);
        remember(tx, message, answer.reply());
        if (answer.rejection() != null) {
            deadLetters.record(tx, transport.wire(), address, message.deviceId(), answer.rejection(), payload);
            return IngestResult.rejected(answer.rejection(), answer.reply());
        }
        return IngestResult.accepted(answer.reply());
    }

    /** Records the message; false when its msgId was already taken. */
    private static boolean remember(Tx tx, DeviceMessage message, String reply) throws SQLException {
        PreparedStatement insert = tx.prepare(
                "INSERT INTO device_message (device_id, msg_id, channel, received_at, reply) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING");
        insert.setString(1, message.deviceId());
        insert.setString(2, message.msgId());
        insert.setString(3, message.channel().name());
        insert.setLong(4, System.currentTimeMillis());
        insert.setString(5, reply);
        return insert.executeUpdate() == 1;
    }

    /** Null when the msgId is new; else a one-element array with the reply stored then (itself maybe null). */
    private static String[] storedReply(Tx tx, DeviceMessage message) throws SQLException {
        PreparedStatement select = tx.prepare("SELECT reply FROM device_message WHERE device_id = ? AND msg_id = ?");
        select.setString(1, message.deviceId());
        select.setString(2, message.msgId());
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? new String[] {rs.getString(1)} : null;
        }
    }

    private CompletableFuture<IngestResult> reject(
            Transport transport,
            String address,
            DeviceAddress target,
            Rejection rejection,
            byte[] payload,
            String msgId) {
        String reply = target.channel().answered() ? rejectedReply(msgId, rejection) : null;
        return keepDeadLetter(transport, address, target.deviceId(), rejection, payload, reply)
                .whenComplete((result, failure) -> afterDurable(transport, target, result, failure));
    }

    private CompletableFuture<IngestResult> keepDeadLetter(
            Transport transport, String address, String deviceId, Rejection rejection, byte[] payload, String reply) {
        return writer.submit(tx -> {
            deadLetters.record(tx, transport.wire(), address, deviceId, rejection, payload);
            return IngestResult.rejected(rejection, reply);
        });
    }

    /** Runs on the writer thread after commit; the MQTT reply is handed to its own thread. */
    private void afterDurable(Transport transport, DeviceAddress target, IngestResult result, Throwable failure) {
        count(transport, target.channel(), result);
        if (failure == null && result.reply() != null) {
            replySender.execute(() -> replies.reply(target.deviceId(), result.reply()));
        }
    }

    /** Runs once per message on the writer thread, so the counter is found by array index, not by name. */
    private void count(Transport transport, Channel channel, IngestResult result) {
        int outcome = result == null ? OUTCOMES - 1 : result.outcome().ordinal();
        int channelIndex = channel == null ? CHANNELS - 1 : channel.ordinal();
        int index = (transport.ordinal() * CHANNELS + channelIndex) * OUTCOMES + outcome;
        Counter counter = counters[index];
        if (counter == null) {
            String outcomeName =
                    result == null ? "failed" : result.outcome().name().toLowerCase(Locale.ROOT);
            String channelName = channel == null ? "none" : channel.name().toLowerCase(Locale.ROOT);
            counter = Counter.builder("gateway_device_messages")
                    .description("device messages taken in, by outcome")
                    .tag("transport", transport.wire())
                    .tag("channel", channelName)
                    .tag("outcome", outcomeName)
                    .register(metrics);
            counters[index] = counter;
        }
        counter.increment();
    }

    /** Stops the reply thread after sending what is queued. */
    @Override
    public void close() {
        replySender.shutdown();
        try {
            replySender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String rejectedReply(String msgId, Rejection rejection) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("msgId", msgId);
        reply.put("result", "rejected");
        reply.put("reason", rejection.reason().code());
        reply.put("detail", rejection.detail());
        reply.putNull("left");
        return reply.toString();
    }

    /** The msgId of a payload that failed validation, when there is one to answer with. */
    private static String msgIdOf(byte[] payload) {
        if (payload.length > PayloadDecoder.MAX_PAYLOAD) {
            return null;
        }
        try {
            var node = JSON.readTree(payload);
            return node != null && node.path("msgId").isTextual()
                    ? node.get("msgId").textValue()
                    : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
