package com.retailedge.gateway.device.mqtt;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The gate's Netty transport: Linux's epoll through Netty's native library where it loads (the store box), Java's
 * NIO selector elsewhere. Each press at a steady rate is a socket read, a hand-off to the writer, a wake-up of the
 * loop when it is durable and a PUBACK write; the native transport does that with fewer system calls and without
 * the selector's key sets. A device channel and the broker link it dials share one event loop, so both come from
 * here.
 */
final class GateTransport {
    static final boolean NATIVE = Epoll.isAvailable();

    private GateTransport() {}

    static IoHandlerFactory ioHandlers() {
        return NATIVE ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    static Class<? extends ServerSocketChannel> serverChannel() {
        return NATIVE ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> channel() {
        return NATIVE ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
