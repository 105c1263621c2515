package com.retailedge.gateway.cloud;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The buffered cloud sockets over real TCP: Paho's read-timeout loop must lose no byte of a packet. */
class BufferedReadSocketsTest {
    @Test
    void a_read_that_times_out_between_two_halves_of_a_packet_loses_nothing() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = BufferedReadSockets.INSTANCE.createSocket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
            client.setSoTimeout(200);
            try (Socket peer = server.accept()) {
                InputStream in = client.getInputStream();
                assertSame(in, client.getInputStream(), "one stream per socket, or buffered bytes would be lost");
                DataInputStream data = new DataInputStream(in);
                OutputStream out = peer.getOutputStream();
                // Two PUBACKs and the first half of a third, as they may arrive in one segment.
                out.write(new byte[] {0x40, 2, 0, 1, 0x40, 2, 0, 2, 0x40});
                out.flush();
                byte[] first = new byte[8];
                data.readFully(first);
                assertArrayEquals(new byte[] {0x40, 2, 0, 1, 0x40, 2, 0, 2}, first);
                assertEquals(0x40, data.readByte());
                assertThrows(SocketTimeoutException.class, data::readByte, "nothing more yet: the read times out");
                out.write(new byte[] {2, 0, 3});
                out.flush();
                byte[] rest = new byte[3];
                data.readFully(rest);
                assertArrayEquals(new byte[] {2, 0, 3}, rest);
            }
        }
    }
}
