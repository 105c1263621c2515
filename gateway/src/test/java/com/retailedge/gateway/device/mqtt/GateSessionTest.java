package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.DeviceLinks;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate packet by packet: the device side is an {@link EmbeddedChannel} fed Netty's MQTT messages, the broker
 * side another {@link EmbeddedChannel} (through {@link GateSession.BrokerDial}) with the broker link's codec, and
 * the store a real SQLite file with a real {@link SqliteWriter}.
 *
 * <p>The writer completes its futures on its own thread, and the session hands each completion to the device
 * channel's event loop; an {@link EmbeddedChannel}'s task queue is not thread-safe, so the tests never touch the
 * device channel while the writer may be completing. The writer commits one unit per transaction, and the tests
 * put {@link Gate}s (units that block the writer until opened) in its queue: with the writer parked in a gate,
 * everything before it is committed and completed, nothing after it is, and the channel's tasks are safe to run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag("slow")
class GateSessionTest {
    private static final String STORE = "s001";
    private static ResourceLeakDetector.Level leakLevel;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private Database database;
    private SqliteWriter writer;
    private DeviceIngest ingest;
    private Connection reads;

    private EmbeddedChannel device;
    private EmbeddedChannel broker;
    /** Every copy is wanted, except in the tests about the relay demand. */
    private RelayDemand relayDemand = RelayDemand.always();
    /** What the broker received, decoded from the bytes the broker link's encoder wrote. */
    private final EmbeddedChannel brokerBytes = new EmbeddedChannel(new MqttDecoder());
    /** Packet id of each publish sent to the msgId in its payload. */
    private final Map<Integer, String> msgIds = new HashMap<>();
    /** Packet ids of the PUBACKs the device got, in order. */
    private final List<Integer> acks = new ArrayList<>();
    /** Packet ids of PUBACKs written to the device while their message had no row in SQLite yet. */
    private final List<Integer> acksBeforeDurable = new ArrayList<>();

    private final List<Gate> gates = new ArrayList<>();

    @BeforeAll
    static void paranoid() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterAll
    static void restoreLeakLevel() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    @BeforeEach
    void store() throws Exception {
        database = Database.open(dir);
        Outbox outbox;
        DeviceRegistry registry;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, STORE, 1_000_000, 1L << 30);
            registry = DeviceRegistry.load(c);
        }
        // One unit per transaction: a gate between two publishes lets the first commit and holds the second.
        writer = new SqliteWriter(database, 1, 100_000, metrics);
        writer.start();
        GatewayConfig config = new ConfigLoader(Map.of("GATEWAY_DEVICES", "button:button-{n}:10")).load(null);
        writer.submit(tx -> {
                    registry.registerConfigured(tx, config.devices());
                    return null;
                })
                .get(20, TimeUnit.SECONDS);
        ingest = new DeviceIngest(writer, outbox, registry, new DeadLetters(metrics), metrics);
        reads = database.openReadConnection();
    }

    @AfterEach
    void close() throws Exception {
        gates.forEach(Gate::open);
        if (device != null) {
            device.finishAndReleaseAll();
        }
        if (broker != null) {
            broker.finishAndReleaseAll();
        }
        brokerBytes.finishAndReleaseAll();
        reads.close();
        ingest.close();
        writer.close();
    }

    /** Opens a device connection through a fresh session; the broker link is up at once. */
    private void connect(int maxPending) {
        GateSession session = new GateSession(
                new GateRouting(STORE, ingest, DeviceLinks.NONE),
                new InternalBroker(new InetSocketAddress("127.0.0.1", 1), InternalBroker.USER, "not-used"),
                maxPending,
                new AtomicInteger(),
                null,
                new BadPackets(metrics),
                relayDemand,
                (deviceChannel, brokerToDevice) -> {
                    broker = new EmbeddedChannel(MqttEncoder.INSTANCE, brokerToDevice);
                    return broker.newSucceededFuture();
                });
        device = new EmbeddedChannel(new AckWatch(), session);
        device.writeInbound(MqttMessageBuilders.connect()
                .clientId("button-1")
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(true)
                .build());
        assertEquals(List.of("CONNECT"), brokerGot());
        broker.writeInbound(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .build());
        Object connAck = device.readOutbound();
        assertEquals(
                MqttMessageType.CONNACK, ((MqttMessage) connAck).fixedHeader().messageType());
    }

    /** Sees every PUBACK on its way to the device and looks whether its message is in SQLite at that moment. */
    private final class AckWatch extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof MqttPubAckMessage ack) {
                int id = ack.variableHeader().messageId();
                acks.add(id);
                if (!durable(msgIds.get(id))) {
                    acksBeforeDurable.add(id);
                }
            }
            super.write(ctx, msg, promise);
        }
    }

    private boolean durable(String msgId) throws Exception {
        try (PreparedStatement ps =
                reads.prepareStatement("SELECT count(*) FROM device_message WHERE msg_id = ? UNION ALL "
                        + "SELECT count(*) FROM dead_letter WHERE CAST(payload AS TEXT) LIKE ?")) {
            ps.setString(1, msgId);
            ps.setString(2, "%" + msgId + "%");
            long rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows += rs.getLong(1);
                }
            }
            return rows > 0;
        }
    }

    /** A QoS 1 press of {@code button} with msgId {@code "m" + packetId}; the payload buffer is leak-tracked. */
    private MqttPublishMessage press(String button, int packetId) {
        return publish("store/" + STORE + "/button/" + button + "/press", packetId, MqttQoS.AT_LEAST_ONCE);
    }

    private MqttPublishMessage publish(String topic, int packetId, MqttQoS qos) {
        String msgId = "m" + packetId;
        msgIds.put(packetId, msgId);
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer();
        payload.writeCharSequence("{\"msgId\":\"" + msgId + "\",\"press\":\"single\"}", StandardCharsets.UTF_8);
        return MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(qos)
                .messageId(packetId)
                .retained(false)
                .payload(payload)
                .build();
    }

    /** A unit in the writer's queue that blocks the writer, once it gets there, until opened. */
    private final class Gate {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);

        Gate() {
            gates.add(this);
            writer.submit(tx -> {
                reached.countDown();
                opened.await(30, TimeUnit.SECONDS);
                return null;
            });
        }

        /** Returns once the writer waits here: all before this gate is committed, the rest not. */
        void reached() throws Exception {
            assertTrue(reached.await(20, TimeUnit.SECONDS), "the writer reached its gate");
            device.runPendingTasks();
            device.checkException();
        }

        void open() {
            opened.countDown();
        }
    }

    /** A gate the writer already waits at. */
    private Gate holdWriter() throws Exception {
        Gate gate = new Gate();
        gate.reached();
        return gate;
    }

    /**
     * Returns once every unit submitted so far has completed, and with it the session's completion callbacks (the
     * writer completes in order, on its thread): the device channel's queue then holds them all; runs them.
     */
    private void writerCaughtUp() throws Exception {
        writer.submit(tx -> null).get(20, TimeUnit.SECONDS);
        device.runPendingTasks();
        device.checkException();
    }

    /** PUBACKs now waiting on the device side, by packet id; other packets are kept out of the list. */
    private List<Integer> deviceAcks() {
        List<Integer> ids = new ArrayList<>();
        Object msg;
        while ((msg = device.readOutbound()) != null) {
            if (msg instanceof MqttPubAckMessage ack) {
                ids.add(ack.variableHeader().messageId());
            }
            ReferenceCountUtil.release(msg);
        }
        return ids;
    }

    /** What reached the broker since the last call, as "TYPE" or "PUBLISH topic qos id". */
    private List<String> brokerGot() {
        List<String> got = new ArrayList<>();
        Object bytes;
        while ((bytes = broker.readOutbound()) != null) {
            brokerBytes.writeInbound(bytes);
        }
        Object msg;
        while ((msg = brokerBytes.readInbound()) != null) {
            MqttMessage m = (MqttMessage) msg;
            if (m instanceof MqttPublishMessage p) {
                got.add("PUBLISH " + p.variableHeader().topicName() + " "
                        + p.fixedHeader().qosLevel().value() + " "
                        + p.variableHeader().packetId());
            } else {
                got.add(m.fixedHeader().messageType().name());
            }
            ReferenceCountUtil.release(msg);
        }
        return got;
    }

    @Test
    void pubacks_follow_the_order_of_the_publishes_each_only_once_its_message_is_durable() throws Exception {
        connect(100);
        List<Gate> gate = new ArrayList<>(List.of(holdWriter()));
        for (int id = 1; id <= 5; id++) {
            device.writeInbound(press("button-" + id, id));
            gate.add(new Gate());
        }
        // Not store traffic: nothing to wait for, but it waits at its place in line all the same.
        device.writeInbound(publish("elsewhere/topic", 6, MqttQoS.AT_LEAST_ONCE));
        device.runPendingTasks();
        assertEquals(List.of(), deviceAcks(), "no PUBACK before the store committed");
        assertEquals(List.of(), brokerGot(), "nothing relayed past a publish still waiting for the store");

        for (int id = 1; id <= 5; id++) {
            gate.get(id - 1).open();
            gate.get(id).reached();
            assertTrue(durable("m" + id));
            assertFalse(durable("m" + (id + 1)));
            assertEquals(List.of(id), deviceAcks(), "the PUBACK of publish " + id + " as soon as it is durable");
            // The broker hears a QoS 0 copy (its own PUBACK would not mean durable), then what waited behind it.
            List<String> relayed =
                    new ArrayList<>(List.of("PUBLISH store/" + STORE + "/button/button-" + id + "/press 0 -1"));
            if (id == 5) {
                relayed.add("PUBLISH elsewhere/topic 1 6");
            }
            assertEquals(relayed, brokerGot());
        }
        assertEquals(List.of(1, 2, 3, 4, 5), acks);
        assertEquals(List.of(), acksBeforeDurable, "PUBACKs written while their message had no row yet");

        // Many committed at once: their PUBACKs still go out in order.
        gate.get(5).open();
        Gate held = holdWriter();
        for (int id = 7; id <= 12; id++) {
            device.writeInbound(press("button-" + (id - 6), id));
        }
        held.open();
        new Gate().reached();
        assertEquals(List.of(7, 8, 9, 10, 11, 12), deviceAcks());
        assertEquals(List.of(), acksBeforeDurable);
        assertTrue(device.isActive());
    }

    @Test
    void the_broker_gets_a_copy_only_while_a_connected_session_subscribes_to_its_topic() throws Exception {
        relayDemand = new RelayDemand();
        connect(100);
        device.writeInbound(press("button-1", 1));
        writerCaughtUp();
        assertEquals(List.of(1), deviceAcks(), "acknowledged all the same");
        assertEquals(List.of(), brokerGot(), "nobody subscribed: no copy through the broker");

        device.writeInbound(MqttMessageBuilders.subscribe()
                .messageId(2)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "store/" + STORE + "/button/+/press")
                .build());
        device.writeInbound(press("button-2", 3));
        writerCaughtUp();
        assertEquals(List.of(3), deviceAcks());
        assertEquals(
                List.of("SUBSCRIBE", "PUBLISH store/" + STORE + "/button/button-2/press 0 -1"),
                brokerGot(),
                "a subscriber: the copy, as before");

        device.writeInbound(MqttMessageBuilders.unsubscribe()
                .messageId(4)
                .addTopicFilter("store/" + STORE + "/button/+/press")
                .build());
        device.writeInbound(press("button-3", 5));
        MqttPublishMessage retained = press("button-4", 6);
        device.writeInbound(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, true, 0),
                retained.variableHeader(),
                retained.payload()));
        writerCaughtUp();
        assertEquals(List.of(5, 6), deviceAcks());
        assertEquals(
                List.of("UNSUBSCRIBE", "PUBLISH store/" + STORE + "/button/button-4/press 0 -1"),
                brokerGot(),
                "unsubscribed: no copy, but a retained publish still reaches the broker, for later subscribers");
        assertTrue(device.isActive());
    }

    @Test
    void every_payload_buffer_is_released_exactly_once() throws Exception {
        connect(100);
        List<MqttPublishMessage> sent = new ArrayList<>();
        Gate held = holdWriter();
        // Accepted (ack and QoS 0 copy), a duplicate msgId (ack only), an unknown device (dead letter, ack only),
        // a camera topic (never relayed), a topic outside the store (relayed as it is), QoS 0 on the store.
        sent.add(press("button-1", 1));
        sent.add(press("button-1", 1));
        sent.add(press("button-99", 2));
        sent.add(publish("store/" + STORE + "/camera/camera-1/recognition", 3, MqttQoS.AT_LEAST_ONCE));
        sent.add(publish("elsewhere/topic", 4, MqttQoS.AT_LEAST_ONCE));
        sent.add(publish("store/" + STORE + "/button/button-2/press", 0, MqttQoS.AT_MOST_ONCE));
        for (MqttPublishMessage p : sent) {
            device.writeInbound(p);
        }
        held.open();
        writerCaughtUp();
        assertEquals(List.of(1, 1, 2, 3), deviceAcks());
        // (Order aside: an EmbeddedChannel runs the completions queued behind one inside the session's first write.)
        assertEquals(
                List.of(
                        "PUBLISH elsewhere/topic 1 4",
                        "PUBLISH store/" + STORE + "/button/button-1/press 0 -1",
                        "PUBLISH store/" + STORE + "/button/button-2/press 0 -1"),
                brokerGot().stream().sorted().toList());
        assertTrue(device.isActive(), "no exception closed the connection (an IllegalReferenceCountException would)");

        // Publishes still in line when the device goes away are released with the line.
        held = holdWriter();
        List<MqttPublishMessage> inLine = List.of(press("button-3", 5), press("button-4", 6));
        inLine.forEach(device::writeInbound);
        device.close();
        held.open();
        writerCaughtUp();
        sent.addAll(inLine);

        device.checkException();
        broker.checkException();
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(0, sent.get(i).payload().refCnt(), "payload of publish " + i + " released");
            assertEquals(0, sent.get(i).refCnt());
        }
        assertNull(device.readInbound(), "nothing went past the gate unreleased");
        assertEquals(List.of(), deviceAcks());
    }

    @Test
    void beyond_max_pending_the_session_stops_reading_and_resumes_when_commits_catch_up() throws Exception {
        int maxPending = 4;
        connect(maxPending);
        assertTrue(device.config().isAutoRead());
        List<Gate> gate = new ArrayList<>(List.of(holdWriter()));
        for (int id = 1; id <= maxPending + 1; id++) {
            device.writeInbound(press("button-" + id, id));
            gate.add(new Gate());
            if (id < maxPending) {
                assertTrue(device.config().isAutoRead(), id + " waiting, below max-pending: it reads on");
            }
        }
        assertFalse(device.config().isAutoRead(), "more than max-pending waiting: reading stops");
        device.runPendingTasks();
        assertFalse(device.config().isAutoRead(), "still stopped while nothing commits");

        gate.get(0).open();
        gate.get(1).reached();
        assertEquals(List.of(1), deviceAcks());
        assertFalse(device.config().isAutoRead(), "max-pending still waiting: still stopped");

        for (int id = 2; id <= maxPending + 1; id++) {
            gate.get(id - 1).open();
            gate.get(id).reached();
        }
        assertEquals(List.of(2, 3, 4, 5), deviceAcks());
        assertTrue(device.config().isAutoRead(), "reading resumes once the commits caught up");

        device.writeInbound(press("button-6", 6));
        gate.get(maxPending + 1).open();
        writerCaughtUp();
        assertEquals(List.of(6), deviceAcks());
        assertTrue(device.config().isAutoRead());
    }

    @Test
    void with_max_pending_one_reading_resumes_once_its_one_publish_is_answered() throws Exception {
        connect(1);
        Gate gate = holdWriter();
        device.writeInbound(press("button-1", 1));
        assertFalse(device.config().isAutoRead(), "one waiting: reading stops");
        gate.open();
        writerCaughtUp();
        assertEquals(List.of(1), deviceAcks());
        assertTrue(device.config().isAutoRead(), "its one answered: reading resumes");

        device.writeInbound(press("button-2", 2));
        writerCaughtUp();
        assertEquals(List.of(2), deviceAcks());
        assertTrue(device.config().isAutoRead());
    }

    @Test
    void a_store_failure_gives_no_puback_and_closes_the_connection() throws Exception {
        connect(100);
        device.writeInbound(press("button-1", 1));
        writerCaughtUp();
        assertEquals(List.of(1), deviceAcks());
        assertEquals(List.of("PUBLISH store/" + STORE + "/button/button-1/press 0 -1"), brokerGot());
        assertTrue(device.isActive());

        // The store stops: the writer takes nothing more, and what is submitted fails.
        writer.close();
        MqttPublishMessage refused = press("button-2", 2);
        // Not store traffic, nothing to wait for: it must not go on past the refused publish ahead of it.
        MqttPublishMessage behind = publish("elsewhere/topic", 3, MqttQoS.AT_LEAST_ONCE);
        device.writeInbound(refused, behind);
        device.runPendingTasks();

        assertEquals(List.of(), deviceAcks(), "no PUBACK for a message the store did not take");
        assertFalse(durable("m2"));
        assertFalse(device.isOpen(), "the connection is closed: the device sends it again on its next");
        assertFalse(broker.isOpen(), "and so is its broker link");
        assertEquals(List.of(), brokerGot(), "nothing behind the refused publish went on");
        assertEquals(0, refused.payload().refCnt());
        assertEquals(0, behind.payload().refCnt());
        assertEquals(List.of(1), acks);
    }
}
