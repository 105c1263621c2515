package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.ingest.IngestResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device connection through the gate. Packets go to the broker in the order the device sent them;
 * a publish waits at its place in line until it is durable. All state lives on the device channel's
 * event loop, so no locks.
 */
final class GateSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(GateSession.class);

    private final GateRouting routing;
    private final InternalBroker internal;
    private final BadPackets badPackets;
    private final BrokerDial brokerDial;
    /** What this connection subscribed to, so that a copy nobody connected wants is not routed through the broker. */
    private final RelayDemand.Interest interest;

    private final RelayDemand demand;
    /** Packet ids of QoS 2 publishes the gate answered PUBREC itself (withheld or forbidden): it answers their PUBREL. */
    private final Set<Integer> ownQos2 = new HashSet<>();
    /** Packet ids of QoS 2 deliveries the device may not have: the gate finishes their handshake with the broker. */
    private final Set<Integer> droppedQos2 = new HashSet<>();

    private final int maxPending;
    private final AtomicInteger connections;
    private final ArrayDeque<Pending> line = new ArrayDeque<>();
    /** Null when {@code mqtt.auth} is off. */
    private final GateAuth auth;
    /** With auth: the device id once its CONNECT was admitted; packets read while checking wait in {@link #held}. */
    private String deviceId;

    private boolean checking;
    private final List<Object> held = new ArrayList<>();
    private int protocolVersion = 4;
    private Channel device;
    private Channel broker;
    private boolean refusalLogged;
    /** The CONNECT was refused: whatever else was already read from this connection is dropped unread. */
    private boolean rejected;

    private static final class Pending {
        final Object message;
        /** A QoS 1 publish the gateway took: the gate answers its PUBACK itself. */
        final boolean ownAck;
        /** Refused by the ACL: kept as a dead letter, acknowledged, never relayed. */
        boolean forbidden;

        boolean ready;
        boolean refused;
        IngestResult result;

        Pending(Object message, boolean ready, boolean ownAck) {
            this.message = message;
            this.ready = ready;
            this.ownAck = ownAck;
        }
    }

    /**
     * Opens the link to the broker for a device connection, with {@code brokerToDevice} last in its pipeline. A seam
     * for tests, which stand a channel of their own in for the broker; the gateway always dials {@link #tcp}.
     */
    @FunctionalInterface
    interface BrokerDial {
        ChannelFuture dial(Channel device, ChannelHandler brokerToDevice);
    }

    GateSession(
            GateRouting routing,
            InternalBroker internal,
            int maxPending,
            AtomicInteger connections,
            GateAuth auth,
            BadPackets badPackets,
            RelayDemand demand,
            BrokerDial brokerDial) {
        this.brokerDial = brokerDial;
        this.demand = demand;
        this.interest = demand.connection();
        this.routing = routing;
        this.auth = auth;
        this.internal = internal;
        this.badPackets = badPackets;
        this.maxPending = maxPending;
        this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        device = ctx.channel();
        connections.incrementAndGet();
        brokerDial.dial(device, new BrokerToDevice()).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                broker = f.channel();
                device.config().setAutoRead(true);
                device.read();
            } else {
                LOG.warn("embedded broker unreachable: {}", f.cause().getMessage());
                device.close();
            }
        });
    }

    /** The broker link over TCP on the device channel's event loop: how the gateway dials the embedded broker. */
    static BrokerDial tcp(InternalBroker internal) {
        return (device, brokerToDevice) -> new Bootstrap()
                .group(device.eventLoop())
                .channel(GateTransport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new MqttDecoder(EmbeddedBroker.MAX_MESSAGE_BYTES),
                                        MqttEncoder.INSTANCE,
                                        brokerToDevice);
                    }
                })
                .connect(internal.address());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof MqttMessage m && m.decoderResult().isFailure()) {
            if (device.isActive()) {
                // Once per connection: the decoder drops the rest of its bytes and the connection closes.
                badPackets.record(m.decoderResult().cause(), device.remoteAddress(), deviceId, routing);
            }
            ReferenceCountUtil.release(msg);
            device.close();
            return;
        }
        if (auth != null && deviceId == null) {
            authenticate(msg);
            return;
        }
        if (auth == null && msg instanceof MqttConnectMessage connect) {
            // No device logins: the device keeps its client id, and the broker gets the gateway's login.
            protocolVersion = connect.variableHeader().version();
            if (SessionOwnership.isReserved(connect.payload().clientIdentifier())) {
                LOG.info(
                        "refused MQTT connection from {}: client id '{}' is the gateway's own",
                        device.remoteAddress(),
                        SessionOwnership.printable(connect.payload().clientIdentifier()));
                rejectIdentifier();
                return;
            }
            msg = internal.connectFor(connect, connect.payload().clientIdentifier());
        }
        if (msg instanceof MqttMessage m
                && m.fixedHeader().messageType() == MqttMessageType.PUBREL
                && m.variableHeader() instanceof MqttMessageIdVariableHeader id
                && ownQos2.remove(id.messageId())) {
            device.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PUBCOMP, false, MqttQoS.AT_MOST_ONCE, false, 2),
                    MqttMessageIdVariableHeader.from(id.messageId())));
            return;
        }
        if (auth != null && msg instanceof MqttSubscribeMessage subscribe && !allowed(subscribe)) {
            refuse(subscribe);
            return;
        }
        noteInterest(msg);
        if (msg instanceof MqttPublishMessage publish) {
            String topic = publish.variableHeader().topicName();
            boolean forbidden = auth != null && !auth.mayPublish(deviceId, topic);
            boolean ownAck =
                    publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE && (forbidden || routing.isOwned(topic));
            Pending pending = new Pending(msg, false, ownAck);
            pending.forbidden = forbidden;
            if (!forbidden) {
                routing.heard(device, topic);
            }
            line.add(pending);
            byte[] payload = ByteBufUtil.getBytes(publish.payload());
            CompletableFuture<IngestResult> durable =
                    forbidden ? auth.refusePublish(deviceId, topic, payload) : routing.route(topic, payload);
            durable.whenComplete((result, failure) -> device.eventLoop().execute(() -> {
                pending.ready = true;
                pending.result = result;
                pending.refused = failure != null;
                if (failure != null && !refusalLogged) {
                    // Once per connection: the connection closes, and under a flood every publish in line fails alike.
                    refusalLogged = true;
                    LOG.warn("not acknowledging a publish on {}: {}", topic, failure.getMessage());
                }
                drain();
            }));
            if (line.size() >= maxPending) {
                device.config().setAutoRead(false);
            }
        } else {
            line.add(new Pending(msg, true, false));
        }
        drain();
    }

    /** What the broker may deliver to this connection, as its CONNECT, SUBSCRIBE and UNSUBSCRIBE go by. */
    private void noteInterest(Object msg) {
        if (msg instanceof MqttConnectMessage connect
                && !connect.variableHeader().isCleanSession()) {
            interest.resuming();
        } else if (msg instanceof MqttSubscribeMessage subscribe) {
            subscribe.payload().topicSubscriptions().forEach(s -> interest.subscribed(s.topicFilter()));
        } else if (msg instanceof MqttUnsubscribeMessage unsubscribe) {
            unsubscribe.payload().topics().forEach(interest::unsubscribed);
        }
    }

    /**
     * A publish the broker would route to no one: QoS 0 (or the gate's own QoS 0 copy of a QoS 1 it answered),
     * not retained, and no connected session subscribed to a filter matching its topic.
     */
    private boolean nobodyWants(Pending head, MqttPublishMessage publish) {
        boolean copyOnly = head.ownAck || publish.fixedHeader().qosLevel() == MqttQoS.AT_MOST_ONCE;
        return copyOnly
                && !publish.fixedHeader().isRetain()
                && !demand.wanted(publish.variableHeader().topicName());
    }

    /** Sends every ready packet at the head of the line, in order. */
    private void drain() {
        boolean wrote = false;
        while (!line.isEmpty() && line.peek().ready) {
            Pending head = line.poll();
            if (head.refused || broker == null || !broker.isActive()) {
                // No PUBACK: the device keeps the message and sends it again on its next connection.
                ReferenceCountUtil.release(head.message);
                releaseLine();
                device.close();
                return;
            }
            if (head.forbidden) {
                if (!acknowledgeForbidden((MqttPublishMessage) head.message)) {
                    releaseLine();
                    device.close();
                    return;
                }
            } else if (head.message instanceof MqttPublishMessage publish
                    && (!routing.isRelayed(publish.variableHeader().topicName(), head.result)
                            || nobodyWants(head, publish))) {
                acknowledgeOnly(publish, head.ownAck);
            } else if (head.ownAck) {
                acknowledgeAndRelay((MqttPublishMessage) head.message);
            } else {
                broker.write(head.message);
            }
            wrote = true;
        }
        if (wrote) {
            broker.flush();
            device.flush();
        }
        resumeReadingIfRoom();
    }

    /**
     * Reading stops at {@code maxPending} publishes waiting for their commit and resumes once fewer than half of
     * that wait (at least one slot free, so that {@code mqtt.max-pending: 1} resumes once its one is answered):
     * the gap keeps a connection at its limit from toggling on every commit.
     */
    private void resumeReadingIfRoom() {
        if (!device.config().isAutoRead() && line.size() < Math.max(1, maxPending / 2) && device.isActive()) {
            device.config().setAutoRead(true);
        }
    }

    /**
     * The message is durable: the gate answers the PUBACK itself and hands the broker a QoS 0 copy for any
     * other subscriber. Moquette drops a PUBACK when its channel is momentarily not writable
     * ({@code MQTTConnection.sendIfWritableElseDrop}), which would leave the device waiting until it
     * reconnects; and the gateway, not the broker, is what made the message safe.
     */
    private void acknowledgeAndRelay(MqttPublishMessage publish) {
        device.write(new MqttPubAckMessage(
                new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                MqttMessageIdVariableHeader.from(publish.variableHeader().packetId())));
        broker.write(new MqttPublishMessage(
                new MqttFixedHeader(
                        MqttMessageType.PUBLISH,
                        false,
                        MqttQoS.AT_MOST_ONCE,
                        publish.fixedHeader().isRetain(),
                        0),
                new MqttPublishVariableHeader(publish.variableHeader().topicName(), -1),
                publish.payload()));
    }

    /**
     * A publish the broker must not see: acknowledged to the device (PUBACK for QoS 1; PUBREC for QoS 2, and PUBCOMP
     * when its PUBREL comes), then dropped. It is durable (or a dead letter) by now, so the device may forget it.
     */
    private void acknowledgeOnly(MqttPublishMessage publish, boolean ownAck) {
        int packetId = publish.variableHeader().packetId();
        if (ownAck) {
            device.write(new MqttPubAckMessage(
                    new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                    MqttMessageIdVariableHeader.from(packetId)));
        } else if (publish.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
            ownQos2.add(packetId);
            device.write(pubRec(packetId, (byte) 0));
        }
        ReferenceCountUtil.release(publish);
    }

    private static MqttMessage pubRec(int packetId, byte reasonCode) {
        return new MqttMessage(
                new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 2),
                new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES));
    }

    /**
     * A publish the ACL refused is a dead letter by now. QoS 1 still gets its PUBACK (MQTT 3.1.1 has no way to say
     * no; without one the device would resend it forever; MQTT 5 gets reason 0x87 "not authorized"). QoS 0 needs
     * nothing. QoS 2 gets PUBREC: with reason 0x87 on MQTT 5 (which ends the exchange), else the gate answers the
     * PUBREL that follows with PUBCOMP. Returns false when the connection must close.
     */
    private boolean acknowledgeForbidden(MqttPublishMessage publish) {
        MqttQoS qos = publish.fixedHeader().qosLevel();
        int packetId = publish.variableHeader().packetId();
        ReferenceCountUtil.release(publish);
        if (qos == MqttQoS.EXACTLY_ONCE) {
            if (protocolVersion < 5) {
                ownQos2.add(packetId);
            }
            device.write(pubRec(packetId, protocolVersion >= 5 ? (byte) 0x87 : (byte) 0));
            return true;
        }
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            device.write(
                    protocolVersion >= 5
                            ? MqttMessageBuilders.pubAck()
                                    .packetId(packetId)
                                    .reasonCode((byte) 0x87)
                                    .build()
                            : new MqttPubAckMessage(
                                    new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                                    MqttMessageIdVariableHeader.from(packetId)));
        }
        return true;
    }

    /**
     * Before its CONNECT is admitted a connection gets nothing through: the CONNECT is checked off the event loop
     * (reading paused; packets already decoded wait in {@link #held}), anything else first is a protocol error.
     */
    private void authenticate(Object msg) {
        if (checking) {
            held.add(msg);
            return;
        }
        if (!(msg instanceof MqttConnectMessage connect)) {
            ReferenceCountUtil.release(msg);
            device.close();
            return;
        }
        checking = true;
        protocolVersion = connect.variableHeader().version();
        device.config().setAutoRead(false);
        String user = connect.variableHeader().hasUserName() ? connect.payload().userName() : null;
        byte[] password =
                connect.variableHeader().hasPassword() ? connect.payload().passwordInBytes() : null;
        String will = connect.variableHeader().isWillFlag() ? connect.payload().willTopic() : null;
        auth.admit(user, password, will)
                .whenComplete((ok, failure) -> device.eventLoop().execute(() -> {
                    checking = false;
                    if (!device.isActive()) {
                        ReferenceCountUtil.release(msg);
                        releaseHeld();
                        return;
                    }
                    if (failure != null || !Boolean.TRUE.equals(ok)) {
                        LOG.info(
                                "refused MQTT connection from {}: bad user name or password for '{}'",
                                device.remoteAddress(),
                                user);
                        ReferenceCountUtil.release(msg);
                        releaseHeld();
                        device.writeAndFlush(MqttMessageBuilders.connAck()
                                        .sessionPresent(false)
                                        .returnCode(
                                                protocolVersion >= 5
                                                        ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                                                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED)
                                        .build())
                                .addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                    String clientId = connect.payload().clientIdentifier();
                    if (!SessionOwnership.mayUse(user, clientId)) {
                        // The broker keys sessions by client id: another device's would hand over its queue and kick it
                        // off.
                        auth.refuseClientId();
                        LOG.info(
                                "refused MQTT connection from {}: device '{}' asked for the session of client id '{}'",
                                device.remoteAddress(),
                                user,
                                SessionOwnership.printable(clientId));
                        ReferenceCountUtil.release(msg);
                        releaseHeld();
                        rejectIdentifier();
                        return;
                    }
                    deviceId = user;
                    // The broker-side session is the device's own, whatever (empty) client id it sent.
                    channelRead(null, internal.connectFor(connect, user));
                    List<Object> waiting = new ArrayList<>(held);
                    held.clear();
                    waiting.forEach(m -> channelRead(null, m));
                    resumeReadingIfRoom();
                }));
    }

    /** CONNACK "identifier rejected" (MQTT 5: client identifier not valid), then close. */
    private void rejectIdentifier() {
        rejected = true;
        device.config().setAutoRead(false);
        device.writeAndFlush(MqttMessageBuilders.connAck()
                        .sessionPresent(false)
                        .returnCode(
                                protocolVersion >= 5
                                        ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                                        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED)
                        .build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    private boolean allowed(MqttSubscribeMessage subscribe) {
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            if (!auth.maySubscribe(deviceId, s.topicFilter())) {
                return false;
            }
        }
        return true;
    }

    /** A SUBSCRIBE with any filter the device may not have is refused whole: 0x80 for every filter. */
    private void refuse(MqttSubscribeMessage subscribe) {
        LOG.info(
                "refused subscription of device '{}' to {}",
                deviceId,
                subscribe.payload().topicSubscriptions().stream()
                        .map(MqttTopicSubscription::topicFilter)
                        .toList());
        MqttMessageBuilders.SubAckBuilder ack =
                MqttMessageBuilders.subAck().packetId(subscribe.variableHeader().messageId());
        subscribe.payload().topicSubscriptions().forEach(s -> ack.addGrantedQos(MqttQoS.FAILURE));
        device.writeAndFlush(ack.build());
    }

    private void releaseHeld() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    private void releaseLine() {
        Pending p;
        while ((p = line.poll()) != null) {
            ReferenceCountUtil.release(p.message);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connections.decrementAndGet();
        interest.closed();
        routing.closed(device);
        releaseLine();
        releaseHeld();
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("device connection {} failed: {}", device == null ? "?" : device.remoteAddress(), cause.getMessage());
        ctx.close();
    }

    /** The broker's side: everything it sends goes to the device unchanged. */
    private final class BrokerToDevice extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MqttConnAckMessage connAck
                    && connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                interest.sessionPresent(connAck.variableHeader().isSessionPresent());
            }
            if (auth != null && deviceId != null && withheld(msg)) {
                return;
            }
            if (device.isActive()) {
                device.write(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        /**
         * A delivery the device holding this connection may not receive (its ACL): acknowledged to the broker as if
         * delivered, never sent on. Covers what a subscription check alone would miss: sessions stored while
         * {@code mqtt.auth} was off, and a broker routing a topic the subscription filter did not mean.
         */
        private boolean withheld(Object msg) {
            if (msg instanceof MqttPublishMessage publish
                    && !auth.mayReceive(deviceId, publish.variableHeader().topicName())) {
                int packetId = publish.variableHeader().packetId();
                MqttQoS qos = publish.fixedHeader().qosLevel();
                ReferenceCountUtil.release(publish);
                if (qos == MqttQoS.AT_LEAST_ONCE) {
                    broker.writeAndFlush(new MqttPubAckMessage(
                            new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                            MqttMessageIdVariableHeader.from(packetId)));
                } else if (qos == MqttQoS.EXACTLY_ONCE) {
                    droppedQos2.add(packetId);
                    broker.writeAndFlush(pubRec(packetId, (byte) 0));
                }
                return true;
            }
            if (msg instanceof MqttMessage m
                    && m.fixedHeader().messageType() == MqttMessageType.PUBREL
                    && m.variableHeader() instanceof MqttMessageIdVariableHeader id
                    && droppedQos2.remove(id.messageId())) {
                broker.writeAndFlush(new MqttMessage(
                        new MqttFixedHeader(MqttMessageType.PUBCOMP, false, MqttQoS.AT_MOST_ONCE, false, 2),
                        MqttMessageIdVariableHeader.from(id.messageId())));
                return true;
            }
            return false;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            device.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            device.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
