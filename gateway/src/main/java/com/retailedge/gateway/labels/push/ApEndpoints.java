package com.retailedge.gateway.labels.push;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * The one place that creates outgoing CoAP endpoints towards access points, so a secure transport (DTLS for
 * {@code coaps://}) plugs in here and nowhere else. One shared UDP endpoint serves every {@code coap://} access
 * point: Californium matches answers by token and retransmits confirmable requests itself.
 */
public final class ApEndpoints implements AutoCloseable {
    private final Configuration config;
    private CoapEndpoint udp;

    /**
     * @param ackTimeout  first retransmission timeout; doubles with each retransmission (RFC 7252)
     * @param retransmits retransmissions of a confirmable request before Californium reports a timeout
     */
    public ApEndpoints(Duration ackTimeout, int retransmits) {
        CoapConfig.register();
        UdpConfig.register();
        config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.ACK_TIMEOUT, ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        config.set(CoapConfig.ACK_INIT_RANDOM, 1.5f);
        config.set(CoapConfig.MAX_RETRANSMIT, retransmits);
    }

    /** The endpoint that reaches an access point at {@code url}; started on first use. */
    public synchronized Endpoint endpointFor(URI url) throws IOException {
        if (!"coap".equals(url.getScheme())) {
            throw new IOException("scheme '" + url.getScheme() + "' needs a secure endpoint, and none is configured");
        }
        if (udp == null) {
            udp = new CoapEndpoint.Builder().setConfiguration(config).setLoggingTag("label-push").build();
            udp.start();
        }
        return udp;
    }

    @Override
    public synchronized void close() {
        if (udp != null) {
            udp.destroy();
            udp = null;
        }
    }
}
