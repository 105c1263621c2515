package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.security.PrivateFiles;
import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

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
    }
}
