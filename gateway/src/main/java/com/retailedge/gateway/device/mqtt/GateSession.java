package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.ingest.IngestResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
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
    private final InetSocketAddress brokerAddress;
    private final int maxPending;
    private final AtomicInteger connections;
    private final ArrayDeque<Pending> line = new ArrayDeque<>();
    private Channel device;
    private Channel broker;
    private boolean refusalLogged;

    private static final class Pending {
        final Object message;
        /** A QoS 1 publish the gateway took: the gate answers its PUBACK itself. */
        final boolean ownAck;
        boolean ready;
        boolean refused;

        Pending(Object message, boolean ready, boolean ownAck) {
            this.message = message;
            this.ready = ready;
            this.ownAck = ownAck;
        }
    }

    GateSession(GateRouting routing, InetSocketAddress brokerAddress, int maxPending, AtomicInteger connections) {
        this.routing = routing;
        this.brokerAddress = brokerAddress;
        this.maxPending = maxPending;
        this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        device = ctx.channel();
        connections.incrementAndGet();
        new Bootstrap().group(device.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(EmbeddedBroker.MAX_MESSAGE_BYTES), MqttEncoder.INSTANCE,
                                new BrokerToDevice());
                    }
                })
                .connect(brokerAddress).addListener((ChannelFutureListener) f -> {
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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttMessage m && m.decoderResult().isFailure()) {
            LOG.debug("closing device connection {}: undecodable MQTT packet: {}", device.remoteAddress(),
                    m.decoderResult().cause().getMessage());
            ReferenceCountUtil.release(msg);
            device.close();
            return;
        }
        if (msg instanceof MqttPublishMessage publish) {
            String topic = publish.variableHeader().topicName();
            boolean ownAck = publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE && routing.isOwned(topic);
            Pending pending = new Pending(msg, false, ownAck);
            line.add(pending);
            byte[] payload = ByteBufUtil.getBytes(publish.payload());
            CompletableFuture<IngestResult> durable = routing.route(topic, payload);
            durable.whenComplete((result, failure) -> device.eventLoop().execute(() -> {
                pending.ready = true;
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
            if (head.ownAck) {
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
        if (!device.config().isAutoRead() && line.size() < maxPending / 2 && device.isActive()) {
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
        device.write(new MqttPubAckMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE,
                false, 2), MqttMessageIdVariableHeader.from(publish.variableHeader().packetId())));
        broker.write(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, publish.fixedHeader().isRetain(), 0),
                new MqttPublishVariableHeader(publish.variableHeader().topicName(), -1), publish.payload()));
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
        releaseLine();
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
            if (device.isActive()) {
                device.write(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
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
