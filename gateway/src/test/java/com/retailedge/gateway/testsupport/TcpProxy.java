package com.retailedge.gateway.testsupport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a loopback port in front of an MQTT broker, which a test turns into the faults a store's uplink
 * has: {@link #cut()} (every connection closed, new ones refused at once), {@link #blackhole()} (connections stay
 * up, every byte is swallowed both ways: a half-open link), and {@link #dropPubacks()} (everything passes except
 * the broker's PUBACKs: a bridge that looks alive but acknowledges nothing), {@link #dropClientPubacks()} (the
 * client's PUBACKs never reach the broker: what a link cut between apply and acknowledgement leaves behind).
 * {@link #restore()} passes everything again. Both directions are split into MQTT packets so PUBACKs can be
 * picked out.
 */
public final class TcpProxy implements AutoCloseable {
    private enum Mode {
        PASS,
        BLACKHOLE,
        DROP_PUBACKS,
        DROP_CLIENT_PUBACKS,
        CUT
    }

    private static final int PUBACK = 4;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    public TcpProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port();
    }

    /** Closes every connection; new ones are closed as soon as they are accepted, until {@link #restore()}. */
    public void cut() {
        mode = Mode.CUT;
        closeAll();
    }

    /** Keeps connections open and accepts new ones, but forwards nothing in either direction. */
    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** Forwards everything except the broker's PUBACK packets. */
    public void dropPubacks() {
        mode = Mode.DROP_PUBACKS;
    }

    /** Forwards everything except the client's PUBACK packets to the broker. */
    public void dropClientPubacks() {
        mode = Mode.DROP_CLIENT_PUBACKS;
    }

    /** Forwards everything again (connections cut before stay closed; clients reconnect). */
    public void restore() {
        mode = Mode.PASS;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.CUT) {
                quietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 5000);
            } catch (IOException e) {
                quietly(client);
                quietly(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            pump(client, upstream, false);
            pump(upstream, client, true);
        }
    }

    private void pump(Socket from, Socket to, boolean fromBroker) {
        Thread t = new Thread(
                () -> {
                    try {
                        packets(from.getInputStream(), to.getOutputStream(), fromBroker);
                    } catch (IOException e) {
                        // one side closed
                    } finally {
                        quietly(from);
                        quietly(to);
                        sockets.remove(from);
                        sockets.remove(to);
                    }
                },
                "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Reads whole MQTT packets (fixed header, remaining length, body) and passes those the mode lets through. */
    private void packets(InputStream raw, OutputStream out, boolean fromBroker) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        while (true) {
            int first = in.readUnsignedByte();
            byte[] lengthBytes = new byte[4];
            int lengthSize = 0;
            int length = 0;
            int multiplier = 1;
            int b;
            do {
                b = in.readUnsignedByte();
                lengthBytes[lengthSize++] = (byte) b;
                length += (b & 0x7f) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0 && lengthSize < 4);
            byte[] body = new byte[length];
            in.readFully(body);
            Mode now = mode;
            boolean puback = (first >> 4) == PUBACK;
            Mode dropsPubacks = fromBroker ? Mode.DROP_PUBACKS : Mode.DROP_CLIENT_PUBACKS;
            boolean pass = now == Mode.PASS || now == Mode.DROP_PUBACKS || now == Mode.DROP_CLIENT_PUBACKS;
            pass = pass && !(now == dropsPubacks && puback);
            if (pass) {
                out.write(first);
                out.write(lengthBytes, 0, lengthSize);
                out.write(body);
                out.flush();
            }
        }
    }

    private void closeAll() {
        for (Socket s : sockets) {
            quietly(s);
        }
        sockets.clear();
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        closeAll();
    }
}
