package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.security.PrivateFiles;
import io.moquette.BrokerConstants;
import io.moquette.broker.RoutingResults;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Moquette broker the gateway runs when no external in-store broker is configured. It listens on
 * loopback only and takes only the gateway's per-start login ({@link InternalBroker}); devices reach it through
 * the {@link DurableAckGate}, which holds each PUBACK until the message is in SQLite. Moquette keeps device
 * sessions and subscriptions under {@code data/broker}.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** Moquette must pass on what the gate already dead-lettered, oversize payloads included. */
    static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    private final Server server = new Server();
    /** Where {@link #output}'s completions run, and with them its next sends. */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(DaemonThreads.named("device-output"));

    private InternalBroker login;

    public void start(Path dataDir) throws IOException {
        Path brokerDir = dataDir.resolve("broker");
        Files.createDirectories(brokerDir);
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        // Moquette records an ephemeral port from a bind listener on its event loop, in a plain HashMap that
        // getPort() writes to as well: polling it races (ConcurrentModificationException, or 0 read). So the
        // loopback port is chosen here.
        login = InternalBroker.onLoopback(freeLoopbackPort());
        p.setProperty(
                IConfig.PORT_PROPERTY_NAME, Integer.toString(login.address().getPort()));
        p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
        // Only the gateway may log in: the gate (for each device it relays) and its own publisher.
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        // mosquitto_pub and many device stacks connect with an empty client id and a clean session.
        p.setProperty(BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
        p.setProperty(
                IConfig.DATA_PATH_PROPERTY_NAME, brokerDir.toAbsolutePath().toString());
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        InternalBroker only = login;
        IAuthenticator authenticator = (clientId, user, password) -> only.matches(user, password);
        server.startServer(new MemoryConfig(p), List.of(), null, authenticator, null);
        PrivateFiles.restrictTree(brokerDir);
    }

    /**
     * What the gateway publishes to devices (PDA replies, notices, pick lists), handed to Moquette in-process: a
     * client on loopback cost a press of W1 about 60 us over four threads for each notice (Paho's sender,
     * receiver and callback, Moquette's decoder and PUBACK), even to a topic nobody subscribed. Moquette routes
     * it exactly as a client's QoS 1 publish: to each matching session, queued for one that is offline. A
     * message counts as taken once Moquette has handed it to every session loop it routes to.
     */
    public PublishWindow output(String storeId) {
        InProcess sender = new InProcess("gateway:" + storeId + ":out");
        PublishWindow window = new PublishWindow(storeId, sender);
        sender.window = window;
        window.connected();
        return window;
    }

    private final class InProcess implements PublishWindow.Sender {
        private final String clientId;
        private PublishWindow window;

        InProcess(String clientId) {
            this.clientId = clientId;
        }

        @Override
        public void send(String topic, String json, int connection) {
            MqttPublishMessage message = MqttMessageBuilders.publish()
                    .topicName(topic)
                    .qos(MqttQoS.AT_LEAST_ONCE)
                    .retained(false)
                    .messageId(1)
                    .payload(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)))
                    .build();
            RoutingResults routed = server.internalPublish(message, clientId);
            if (!routed.isAllSuccess()) {
                // a session loop's command queue was full: those sessions did not get it
                throw new IllegalStateException("Moquette could not route it to every subscriber: " + routed);
            }
            CompletableFuture<Void> taken = routed.completableFuture();
            if (taken.isDone()) {
                window.delivered(connection); // nobody subscribed, or all routed at once
            } else {
                // Not on Moquette's session loop: a publish from one is run at once for the sessions of that loop,
                // ahead of what this thread queued for them before, and a PDA would hear its notices out of order.
                taken.whenCompleteAsync((done, failure) -> window.delivered(connection), completions);
            }
        }
    }

    /** The loopback address Moquette listens on and the per-start login it accepts. */
    public InternalBroker login() {
        return login;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stopServer();
        completions.shutdownNow();
    }
}
