package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.ingest.DeviceIngest;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices' MQTT port in front of the embedded broker. Each device connection is relayed to Moquette
 * packet by packet, in order. A QoS 1 PUBLISH on one of the store's device topics waits at its place in
 * line until {@link DeviceIngest} made it durable; then the gate itself sends the device its PUBACK and
 * hands Moquette a QoS 0 copy for any other subscriber, when a connected session subscribed to it
 * ({@link RelayDemand}). Moquette acknowledges as soon as it has routed a
 * message in memory, which a crash would lose, so its PUBACK cannot be the device's proof of safety.
 */
public final class DurableAckGate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableAckGate.class);

    private final GateRouting routing;
    private final InternalBroker internal;
    private final BadPackets badPackets;
    private final int maxPending;
    private final AtomicInteger connections = new AtomicInteger();
    private final RelayDemand demand = new RelayDemand();
    private final GateAuth auth;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /** {@code auth} null lets every device connect and publish anywhere ({@code mqtt.auth: off}). */
    public DurableAckGate(
            GateRouting routing, InternalBroker internal, int maxPending, MeterRegistry metrics, GateAuth auth) {
        this.routing = routing;
        this.auth = auth;
        this.internal = internal;
        this.badPackets = new BadPackets(metrics);
        this.maxPending = maxPending;
        metrics.gauge("gateway_mqtt_device_connections", connections);
    }

    /** Binds the device port; returns the port bound (useful when 0 was asked for). */
    public int start(String bind, int port) throws InterruptedException {
        boss = new MultiThreadIoEventLoopGroup(1, GateTransport.ioHandlers());
        workers = new MultiThreadIoEventLoopGroup(2, GateTransport.ioHandlers());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(GateTransport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("decoder", new MqttDecoder(EmbeddedBroker.MAX_MESSAGE_BYTES));
                        ch.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
                        ch.pipeline()
                                .addLast(
                                        "gate",
                                        new GateSession(
                                                routing,
                                                internal,
                                                maxPending,
                                                connections,
                                                auth,
                                                badPackets,
                                                demand,
                                                GateSession.tcp(internal)));
                    }
                });
        serverChannel = bootstrap.bind(bind, port).sync().channel();
        int bound = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info("devices' MQTT port {} open ({})", bound, GateTransport.NATIVE ? "epoll" : "nio");
        // The broker's loopback port is no one else's business: only the gateway's login gets in, and only at debug.
        LOG.debug(
                "relaying to the embedded broker on loopback port {}",
                internal.address().getPort());
        return bound;
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
                    .awaitUninterruptibly();
        }
    }
}
