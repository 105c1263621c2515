package com.retailedge.sim.esl;

import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.RawDataChannel;
import org.eclipse.californium.elements.UDPConnector;
import org.eclipse.californium.elements.UdpEndpointContext;
import org.eclipse.californium.elements.config.Configuration;

/**
 * A UDP connector that loses each datagram, in and out, with a given probability and delays the rest: a radio
 * link as bad as asked for, below CoAP, so Californium's own retransmission and deduplication are what cope.
 */
final class LossyUdpConnector extends UDPConnector {
    private final double loss;
    private final long latencyMs;
    private final ScheduledExecutorService delays;

    LossyUdpConnector(
            InetSocketAddress bind,
            Configuration config,
            double loss,
            long latencyMs,
            ScheduledExecutorService delays) {
        super(bind, config);
        this.loss = loss;
        this.latencyMs = latencyMs;
        this.delays = delays;
    }

    private boolean lost() {
        return loss > 0 && ThreadLocalRandom.current().nextDouble() < loss;
    }

    @Override
    public void send(RawData msg) {
        if (lost()) {
            // Gone on the air: to the sender it looks sent, with the context a real send would have had.
            msg.onContextEstablished(new UdpEndpointContext(msg.getInetSocketAddress()));
            msg.onSent();
            return;
        }
        if (latencyMs > 0) {
            delays.schedule(() -> super.send(msg), latencyMs, TimeUnit.MILLISECONDS);
        } else {
            super.send(msg);
        }
    }

    @Override
    public void setRawDataReceiver(RawDataChannel receiver) {
        super.setRawDataReceiver(data -> {
            if (lost()) {
                return;
            }
            if (latencyMs > 0) {
                delays.schedule(() -> receiver.receiveData(data), latencyMs, TimeUnit.MILLISECONDS);
            } else {
                receiver.receiveData(data);
            }
        });
    }
}
