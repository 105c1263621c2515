package com.retailedge.gateway.cloud;

import com.retailedge.gateway.config.Durations;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.ops.CloudLinkState;
import com.retailedge.gateway.ops.EventLink;
import com.retailedge.gateway.ops.LinkError;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.outbox.OutboxQueries;
import com.retailedge.gateway.outbox.StoredEvent;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.WriteWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbox events to the cloud broker in sequence order, QoS 1, with at most {@code cloud.window}
 * unacknowledged. The acknowledged cursor moves only over contiguous PUBACKs and is saved through the writer every
 * {@link #CURSOR_SAVE_EVERY_EVENTS} events or {@link #CURSOR_SAVE_INTERVAL_MS} (and at a clean stop); after a lost
 * link or a restart sending resumes from it, so the cloud may see a bounded number of duplicates
 * (same {@code id}) but never a gap. Commands from the cloud arrive on a connection of their own
 * ({@link CommandLink}), so a PUBACK for events never waits behind a command.
 */
public final class CloudForwarder implements EventLink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudForwarder.class);
    private static final int READ_BATCH = 500;
    /**
     * The acknowledged cursor is written once it has moved this many events past the last save, or
     * {@link #CURSOR_SAVE_INTERVAL_MS} after an acknowledgement, whichever comes first. Saving it per PUBACK burst
     * cost a commit (and an fsync) of its own for every event at low rates. After a crash the cloud sees the
     * events after the saved cursor again (it de-duplicates on {@code id}), never a gap: about one window, as
     * before, plus at most this many and what was acknowledged while the save waited to ride with a commit
     * ({@link #CURSOR_RIDE_MS}).
     */
    static final int CURSOR_SAVE_EVERY_EVENTS = 16;

    static final long CURSOR_SAVE_INTERVAL_MS = 500;
    /** How long a cursor save may wait for a commit to ride with before it gets one of its own. */
    static final long CURSOR_RIDE_MS = 50;

    private static final long CLOSE_SAVE_TIMEOUT_MS = 2000;

    private enum ConnectOutcome {
        CONNECTED,
        REFUSED,
        FAILED
    }

    private final GatewayConfig.Cloud config;
    private final String eventsTopic;
    private final CloudClients clients;
    private final Database database;
    private final SqliteWriter writer;
    private final Outbox outbox;
    private final Object lock = new Object();
    private final AckTracker tracker;
    private final AtomicBoolean cursorSaveQueued = new AtomicBoolean();
    /** Set by an acknowledgement that moved the cursor in memory; cleared when a save is queued. */
    private final AtomicBoolean cursorUnsaved = new AtomicBoolean();

    private volatile long lastCursorSaveNanos = System.nanoTime();
    /** The cursor as the last queued save saw it. */
    private volatile long lastSavedCursor;
    /** The latest cursor save handed to the writer. */
    private volatile CompletableFuture<Void> lastSave = CompletableFuture.completedFuture(null);

    private final Counter forwarded;
    private final Counter reconnects;
    private final Counter stalls;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CloudLinkState state = CloudLinkState.DISCONNECTED;
    private volatile long lastAckNanos = System.nanoTime();
    /** The reason the link is down, with its time; null while connected (and before the first failure). */
    private volatile LinkError lastError;
    /** The reason the link was last down, kept after it came back, so /health can still say what happened. */
    private volatile LinkError previousError;

    private MqttAsyncClient client;
    private long nextToSend;
    /** Bumped by a re-send, so a batch read before it is not published after it. Guarded by the lock. */
    private long resendGeneration;

    private boolean linkLost;
    /** The forwarder waits because the window is full, so the next acknowledgement must wake it. Guarded by the lock. */
    private boolean waitingForRoom;
    /** Counts connections; a late failure reported by an earlier connection's client must not drop the current one. */
    private volatile int generation;

    public CloudForwarder(
            GatewayConfig.Cloud config,
            String storeId,
            Database database,
            SqliteWriter writer,
            Outbox outbox,
            MeterRegistry metrics) {
        this.config = config;
        this.eventsTopic = "retail/" + storeId + "/events";
        this.clients = new CloudClients(config);
        this.database = database;
        this.writer = writer;
        this.outbox = outbox;
        this.tracker = new AckTracker(outbox.ackedSequence());
        this.lastSavedCursor = outbox.ackedSequence();
        this.nextToSend = outbox.ackedSequence() + 1;
        this.forwarded = Counter.builder("gateway_cloud_events_acknowledged")
                .description("events the cloud acknowledged")
                .register(metrics);
        this.reconnects = Counter.builder("gateway_cloud_connects")
                .description("connections made to the cloud broker")
                .register(metrics);
        this.stalls = Counter.builder("gateway_cloud_stalls")
                .description("cloud connections replaced because no PUBACK came within cloud.ack-timeout")
                .register(metrics);
        metrics.gauge("gateway_cloud_connected", this, f -> f.state == CloudLinkState.CONNECTED ? 1 : 0);
        metrics.gauge("gateway_cloud_in_flight", this, f -> f.inFlight());
        this.thread = new Thread(this::run, "cloud-forwarder");
        this.thread.setDaemon(true);
        outbox.onAppend(this::wake);
    }

    public void start() {
        thread.start();
    }

    @Override
    public CloudLinkState state() {
        return state;
    }

    /** Why the link is down now; empty while connected. */
    @Override
    public String lastError() {
        LinkError error = lastError;
        return error == null ? "" : error.message();
    }

    /** When {@link #lastError()} happened; null when there is none. */
    @Override
    public java.time.Instant lastErrorAt() {
        LinkError error = lastError;
        return error == null ? null : error.at();
    }

    /** What ended the link before the current connection (or the current outage), with its time; null if nothing. */
    @Override
    public LinkError previousError() {
        return previousError;
    }

    @Override
    public int inFlight() {
        synchronized (lock) {
            return tracker.inFlight();
        }
    }

    /**
     * Wakes the forwarder's thread, or makes its next wait return at once. Never blocks and takes no lock, so the
     * writer calls it right after a commit that appended events (see {@link Outbox#onAppend}).
     */
    private void wake() {
        LockSupport.unpark(thread);
    }

    private void run() {
        long backoffMs = 500;
        try (Connection reader = database.openReadConnection()) {
            while (running) {
                saveCursorIfDue();
                if (state != CloudLinkState.CONNECTED) {
                    ConnectOutcome outcome = connect();
                    if (outcome == ConnectOutcome.CONNECTED) {
                        backoffMs = 500;
                    } else {
                        sleepQuietly(jitter(CloudClients.retryWait(backoffMs, outcome == ConnectOutcome.REFUSED)));
                        backoffMs =
                                Math.min(backoffMs * 2, config.reconnectMax().toMillis());
                    }
                    continue;
                }
                sendWhatFits(reader);
            }
        } catch (SQLException e) {
            LOG.error("the cloud forwarder cannot read the outbox; it stops: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            state = CloudLinkState.STOPPED;
        }
    }

    private void sendWhatFits(Connection reader) throws SQLException, InterruptedException {
        int room;
        long from;
        long batchGeneration;
        boolean idle;
        synchronized (lock) {
            if (linkLost) {
                dropLink();
                return;
            }
            if (isStalled()) {
                stalls.increment();
                lose("no PUBACK from the cloud for " + Durations.format(config.ackTimeout()) + " with "
                        + tracker.inFlight() + " events in flight; replacing the connection");
                return;
            }
            room = config.window() - tracker.inFlight();
            from = nextToSend;
            batchGeneration = resendGeneration;
            waitingForRoom = room <= 0;
            idle = waitingForRoom || from > outbox.lastSequence();
        }
        if (idle) {
            // Woken by an append, by an acknowledgement when the window was full, by a lost link or a re-send; the
            // timeout keeps the stall check and the cursor save going while nothing happens.
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(CURSOR_SAVE_INTERVAL_MS));
            throwIfInterrupted();
            return;
        }
        List<StoredEvent> events = outbox.committedAfter(reader, from - 1, Math.min(room, READ_BATCH));
        for (StoredEvent event : events) {
            if (!publish(event, batchGeneration)) {
                return;
            }
        }
    }

    private boolean publish(StoredEvent event, long batchGeneration) {
        MqttMessage message = new MqttMessage(event.body().getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        int sentOn;
        synchronized (lock) {
            if (linkLost || client == null || batchGeneration != resendGeneration) {
                return false;
            }
            sentOn = generation;
            if (tracker.inFlight() == 0) {
                // the ack clock starts when something is waiting for one
                lastAckNanos = System.nanoTime();
            }
            // a re-sent event was already released from the outbox's pending bytes once
            tracker.sent(event.sequence(), event.sequence() <= outbox.ackedSequence() ? 0 : event.bytes());
            nextToSend = event.sequence() + 1;
        }
        try {
            client.publish(eventsTopic, message, event.sequence(), new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acknowledged(event.sequence());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    lose(sentOn, "publish of sequence " + event.sequence() + " failed: " + failure.getMessage());
                }
            });
            return true;
        } catch (MqttException e) {
            lose("publish failed: " + e.getMessage());
            return false;
        }
    }

    /**
     * Sends every stored event from {@code sequence} on again, in order, as a re-send the cloud asked for (it
     * de-duplicates on {@code id}). {@code sequence} must be stored (not pruned): the cursor only moves over
     * contiguous acknowledgements. Events not acknowledged yet are sent again too, so sending restarts at the
     * lower of {@code sequence} and the first unacknowledged event; returns that.
     */
    public long resendFrom(long sequence) {
        synchronized (lock) {
            long start = Math.max(1, Math.min(sequence, tracker.contiguous() + 1));
            tracker.rewind(start - 1);
            nextToSend = start;
            resendGeneration++;
            wake();
            return start;
        }
    }

    private void acknowledged(long sequence) {
        long released;
        long cursor;
        boolean roomAwaited;
        synchronized (lock) {
            released = tracker.acknowledged(sequence);
            cursor = tracker.contiguous();
            roomAwaited = waitingForRoom;
            waitingForRoom = false;
        }
        if (roomAwaited) {
            // Only a forwarder held back by the full window needs this acknowledgement; one waiting for new events
            // would wake for nothing (at a steady 500 events/s that was a wake-up per event).
            wake();
        }
        lastAckNanos = System.nanoTime();
        forwarded.increment();
        if (released > 0 || cursor > outbox.ackedSequence()) {
            outbox.acknowledged(cursor, released);
            cursorUnsaved.set(true);
            if (cursor - lastSavedCursor >= CURSOR_SAVE_EVERY_EVENTS) {
                saveCursor();
            }
        }
    }

    /** Queues a cursor save when the cursor moved and the last save is old enough. */
    private void saveCursorIfDue() {
        if (cursorUnsaved.get()
                && System.nanoTime() - lastCursorSaveNanos >= TimeUnit.MILLISECONDS.toNanos(CURSOR_SAVE_INTERVAL_MS)) {
            saveCursor();
        }
    }

    /**
     * At most one cursor save waits in the writer queue; it writes whatever the cursor is when it runs. While
     * running it rides with the next commit devices cause anyway, within {@link #CURSOR_RIDE_MS}: a commit (and an
     * fsync) of its own per save cost the writer more than the events' own commits while the outbox drains.
     */
    private void saveCursor() {
        saveCursor(false);
    }

    private void saveCursor(boolean now) {
        if (!cursorSaveQueued.compareAndSet(false, true)) {
            return;
        }
        cursorUnsaved.set(false);
        lastCursorSaveNanos = System.nanoTime();
        lastSavedCursor = outbox.ackedSequence();
        WriteWork<Void> save = tx -> {
            cursorSaveQueued.set(false);
            OutboxQueries.saveAcked(tx.connection(), outbox.ackedSequence());
            return null;
        };
        lastSave = (now ? writer.submit(save) : writer.submitWithNext(save, Duration.ofMillis(CURSOR_RIDE_MS)))
                .whenComplete((r, f) -> {
                    if (f != null) {
                        cursorSaveQueued.set(false);
                        cursorUnsaved.set(true);
                    }
                });
    }

    private void lose(String reason) {
        lose(generation, reason);
    }

    private void lose(int ofGeneration, String reason) {
        synchronized (lock) {
            if (ofGeneration != generation) {
                return;
            }
            if (!linkLost) {
                LOG.warn("cloud link lost: {}", reason);
                // The first reason is the cause; failures of publishes still in flight on that link only follow it.
                lastError = new LinkError(reason, java.time.Instant.now());
            }
            linkLost = true;
        }
        wake();
    }

    /** Forgets what was in flight and sends it again from the acknowledged cursor on the next connection. */
    private void dropLink() {
        MqttAsyncClient old = client;
        client = null;
        // What the old client still reports (publishes failing as it closes) is about a link already given up.
        generation++;
        linkLost = false;
        state = CloudLinkState.DISCONNECTED;
        tracker.resetToCursor();
        nextToSend = tracker.contiguous() + 1;
        CloudClients.close(old);
    }

    private ConnectOutcome connect() {
        state = CloudLinkState.CONNECTING;
        try {
            int next = generation + 1;
            MqttAsyncClient fresh = clients.connect(new Callback(next));
            synchronized (lock) {
                generation = next;
                client = fresh;
                linkLost = false;
                tracker.resetToCursor();
                nextToSend = tracker.contiguous() + 1;
            }
            if (lastError != null) {
                previousError = lastError;
                lastError = null;
            }
            state = CloudLinkState.CONNECTED;
            lastAckNanos = System.nanoTime();
            reconnects.increment();
            LOG.info("connected to the cloud at {}; sending from sequence {}", config.url(), nextToSend);
            return ConnectOutcome.CONNECTED;
        } catch (MqttException e) {
            lastError =
                    new LinkError("connect to " + config.url() + " failed: " + describe(e), java.time.Instant.now());
            LOG.debug(lastError.message());
            state = CloudLinkState.DISCONNECTED;
            return CloudClients.refusedOutright(e) ? ConnectOutcome.REFUSED : ConnectOutcome.FAILED;
        }
    }

    /** Paho's own message is often just "MqttException"; the cause (a TLS or socket error) says what happened. */
    private static String describe(MqttException e) {
        Throwable cause = e.getCause();
        return cause == null ? e.getMessage() : e.getMessage() + ": " + cause;
    }

    private static long jitter(long ms) {
        return ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
    }

    /** Waits out a reconnect back-off; only a stop ends it early (new events wait for the next attempt). */
    private void sleepQuietly(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        long left;
        while (running && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            throwIfInterrupted();
        }
    }

    private static void throwIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /**
     * A link that is up but acknowledges nothing (a half-open TCP connection, a wedged bridge) looks
     * connected forever; this is how it is noticed. Caller holds the lock.
     */
    private boolean isStalled() {
        return tracker.inFlight() > 0
                && System.nanoTime() - lastAckNanos > config.ackTimeout().toNanos();
    }

    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            CloudClients.close(client);
            client = null;
        }
        state = CloudLinkState.STOPPED;
        saveCursorBeforeStop();
    }

    /** A clean stop leaves the cursor exact, so a restart sends nothing twice. Bounded: the writer may be stuck. */
    private void saveCursorBeforeStop() {
        if (!cursorUnsaved.get()) {
            return;
        }
        saveCursor(true);
        try {
            lastSave.get(CLOSE_SAVE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn(
                    "the acknowledged cursor was not saved at stop ({}); the cloud will see up to {} ms of events "
                            + "again",
                    e.getMessage(),
                    CURSOR_SAVE_INTERVAL_MS);
        }
    }

    private final class Callback implements MqttCallbackExtended {
        private final int ofGeneration;

        Callback(int ofGeneration) {
            this.ofGeneration = ofGeneration;
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // connect() handles the state
        }

        @Override
        public void connectionLost(Throwable cause) {
            lose(ofGeneration, cause == null ? "connection closed" : cause.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // this client subscribes to nothing; commands arrive on the CommandLink
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            // acknowledgements are handled per publish
        }
    }
}
