package com.retailedge.gateway.device.coap;

import com.retailedge.gateway.concurrent.DaemonThreads;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.RawDataChannel;
import org.eclipse.californium.elements.UDPConnector;
import org.eclipse.californium.elements.config.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a CoAP flood from filling the heap. Californium hands every received datagram to its executor, whose queue
 * has no bound, and keeps every exchange for deduplication for minutes. Here the executor is the gateway's own, the
 * UDP receiver drops datagrams while that executor has {@code coap.max-queued} tasks waiting (as a full socket buffer
 * would: a confirmable request is retransmitted by its device), and deduplication keeps a bounded number of recent
 * messages per peer.
 */
public final class CoapLoadShedding implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoapLoadShedding.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final int maxQueued;
    private final ScheduledThreadPoolExecutor main;
    private final ScheduledThreadPoolExecutor secondary;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastLogNanos;

    public CoapLoadShedding(int maxQueued) {
        this.maxQueued = maxQueued;
        this.main = new ScheduledThreadPoolExecutor(
                Math.max(2, Runtime.getRuntime().availableProcessors()), DaemonThreads.numbered("coap-main"));
        this.secondary = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("coap-timer"));
    }

    /** Deduplication by peer, a bounded number of messages each, instead of every exchange for its lifetime. */
    public static void configure(Configuration config) {
        config.set(CoapConfig.DEDUPLICATOR, CoapConfig.DEDUPLICATOR_PEERS_MARK_AND_SWEEP);
        config.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, 64);
        config.set(CoapConfig.MAX_ACTIVE_PEERS, 4096);
    }

    /** A UDP connector that drops what arrives while the executor is this far behind. */
    public UDPConnector connector(InetSocketAddress address, Configuration config) {
        return new UDPConnector(address, config) {
            @Override
            public void setRawDataReceiver(RawDataChannel receiver) {
                super.setRawDataReceiver(raw -> {
                    if (main.getQueue().size() >= maxQueued) {
                        shed();
                    } else {
                        receiver.receiveData(raw);
                    }
                });
            }
        };
    }

    public void applyTo(CoapServer server) {
        server.setExecutors(main, secondary, false);
    }

    /** Datagrams dropped since start. */
    public long dropped() {
        return dropped.get();
    }

    private void shed() {
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastLogNanos > LOG_EVERY_NANOS) {
            lastLogNanos = now;
            LOG.warn(
                    "CoAP overload: dropping datagrams while {} requests wait ({} dropped since start)",
                    maxQueued,
                    total);
        }
    }

    @Override
    public void close() {
        main.shutdownNow();
        secondary.shutdownNow();
    }
}
