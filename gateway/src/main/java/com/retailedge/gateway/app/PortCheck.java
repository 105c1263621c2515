package com.retailedge.gateway.app;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a port can be bound now, asked by binding and releasing it. Used before a server starts whose own
 * failure would say less (Californium logs a stack trace and reports "none of the server endpoints could be
 * started", naming neither the port nor its key) and by {@code --check-config}.
 */
final class PortCheck {
    private PortCheck() {}

    /** Null when free (or 0, any port), else the reason it cannot be bound. */
    static String tcp(String bind, int port) {
        if (port == 0) {
            return null;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
            return null;
        } catch (IOException e) {
            return reason(e);
        }
    }

    /** Null when free (or 0, any port), else the reason it cannot be bound. */
    static String udp(String bind, int port) {
        if (port == 0) {
            return null;
        }
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(bind, port));
            return null;
        } catch (IOException e) {
            return reason(e);
        }
    }

    private static String reason(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("in use") ? "already in use" : message;
    }

    /** @throws IOException naming the port and its key when the UDP port cannot be bound */
    static void requireUdp(String what, String key, String bind, int port) throws IOException {
        String problem = udp(bind, port);
        if (problem != null) {
            throw new IOException(what + " UDP port " + port + " is " + problem + " (set " + key + " to another port)");
        }
    }
}
