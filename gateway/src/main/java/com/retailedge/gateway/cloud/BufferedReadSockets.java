package com.retailedge.gateway.cloud;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets for the Paho cloud clients whose input is buffered. Paho 1.2.5 reads each packet's fixed header
 * a byte at a time from the bare socket stream, so a 4-byte PUBACK cost three {@code read} system calls; with a
 * buffer, one call takes every acknowledgement the cloud has sent meanwhile. (TLS sockets buffer in their record
 * layer already and are left as they are.) A read that times out leaves the buffer as it was, so Paho's 1 s read
 * timeout loop still works.
 */
final class BufferedReadSockets extends SocketFactory {
    static final BufferedReadSockets INSTANCE = new BufferedReadSockets();
    private static final int BUFFER_BYTES = 16 * 1024;

    private BufferedReadSockets() {}

    @Override
    public Socket createSocket() {
        return new BufferedReadSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return open(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return open(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return open(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return open(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** Paho itself calls {@link #createSocket()} and connects; these are for any other caller of a factory. */
    private static Socket open(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = new BufferedReadSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(remote);
        return socket;
    }

    /** A socket that hands out one buffered stream over its input, the same one at every call. */
    private static final class BufferedReadSocket extends Socket {
        private InputStream input;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES);
            }
            return input;
        }
    }
}
