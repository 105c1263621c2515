package com.retailedge.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random free ports, so tests never collide with each other or with a running gateway. They are drawn below the
 * kernel's ephemeral range: a port from that range can be handed to any outgoing connection on the machine
 * between the moment a test picks it and the moment the gateway or broker binds it (or while a killed gateway
 * is down before its restart), and the bind then fails with "Address already in use".
 */
public final class FreePorts {
    private static final int LOWEST = 15_000;
    private static final int HIGHEST = highestBelowEphemeral();

    private FreePorts() {}

    public static int tcp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = candidate();
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int udp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = candidate();
            try (DatagramSocket s = new DatagramSocket(port)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int candidate() {
        return ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
    }

    /** One below the low end of Linux's ip_local_port_range; 32767 where that cannot be read. */
    private static int highestBelowEphemeral() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low - 1 > LOWEST + 1000 ? low - 1 : 32_767;
        } catch (IOException | RuntimeException e) {
            return 32_767;
        }
    }
}
