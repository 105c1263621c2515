package com.retailedge.gateway.device.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the embedded broker listens and the login only the gateway knows: a user name and a random password made
 * fresh at every start and never written down or logged. The broker refuses every other CONNECT, so no local process
 * can read device traffic or publish fake notices on it; the gate logs its relayed connections in with it.
 */
public record InternalBroker(InetSocketAddress address, String user, String password) {
    /** The user name the gateway's own connections use; no device id can be it (':' is not allowed in one). */
    public static final String USER = "gateway:internal";

    /** A fresh login for a broker on the loopback {@code port}. */
    static InternalBroker onLoopback(int port) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new InternalBroker(
                new InetSocketAddress("127.0.0.1", port),
                USER,
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The URL of the broker for Paho. */
    public String url() {
        return "tcp://127.0.0.1:" + address.getPort();
    }

    /** Constant-time: how Moquette checks each CONNECT. */
    boolean matches(String userName, byte[] passwordBytes) {
        return USER.equals(userName)
                && passwordBytes != null
                && MessageDigest.isEqual(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), passwordBytes);
    }

    /**
     * The CONNECT the broker gets for a device's: the device's own user name and password are replaced by the
     * gateway's login (the broker has no use for them and must never log them), and the client id is {@code clientId}.
     */
    MqttConnectMessage connectFor(MqttConnectMessage connect, String clientId) {
        MqttConnectVariableHeader h = connect.variableHeader();
        MqttConnectPayload p = connect.payload();
        return new MqttConnectMessage(
                connect.fixedHeader(),
                new MqttConnectVariableHeader(
                        h.name(),
                        h.version(),
                        true,
                        true,
                        h.isWillRetain(),
                        h.willQos(),
                        h.isWillFlag(),
                        h.isCleanSession(),
                        h.keepAliveTimeSeconds(),
                        h.properties()),
                new MqttConnectPayload(
                        clientId,
                        p.willProperties(),
                        p.willTopic(),
                        p.willMessageInBytes(),
                        user,
                        password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "InternalBroker[port " + address.getPort() + ", login hidden]";
    }
}
