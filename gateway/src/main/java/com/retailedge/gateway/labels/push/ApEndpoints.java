package com.retailedge.gateway.labels.push;

import com.retailedge.gateway.security.DtlsEndpoints;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;

/**
 * The one place that creates outgoing CoAP endpoints towards access points. One shared UDP endpoint serves every
 * {@code coap://} access point: Californium matches answers by token and retransmits confirmable requests itself.
 * A {@code coaps://} access point gets its own DTLS 1.2 client endpoint with the PSK the gateway holds for it
 * ({@code labels.ap-psk-file}); Scandium keeps the session, so only the first push after a start or a lost
 * session pays for a handshake.
 */
public final class ApEndpoints implements AutoCloseable {
    private final Configuration config;
    private final Map<String, ApPskFile.ApPsk> keys;
    private final Map<String, CoapEndpoint> secure = new HashMap<>();
    /** When each secure access point's session was last made to start over (see {@link #noAnswerFrom}). */
    private final Map<String, Long> renewedNanos = new HashMap<>();
    /** The longest a confirmable push can wait for its answer: at most one renewal per access point per this. */
    private final long renewEveryNanos;

    private CoapEndpoint udp;

    /** Plain CoAP only: a {@code coaps://} access point is refused. */
    public ApEndpoints(Duration ackTimeout, int retransmits) {
        this(ackTimeout, retransmits, Map.of());
    }

    /**
     * @param ackTimeout  first retransmission timeout; doubles with each retransmission (RFC 7252)
     * @param retransmits retransmissions of a confirmable request before Californium reports a timeout
     * @param keys        access point device id to the PSK the gateway presents to it over DTLS
     */
    public ApEndpoints(Duration ackTimeout, int retransmits, Map<String, ApPskFile.ApPsk> keys) {
        config = DtlsEndpoints.configuration();
        config.set(CoapConfig.ACK_TIMEOUT, ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        config.set(CoapConfig.ACK_INIT_RANDOM, 1.5f);
        config.set(CoapConfig.MAX_RETRANSMIT, retransmits);
        // Every push of a lane may be queued behind the handshake; Scandium's default (10) would refuse the rest.
        config.set(DtlsConfig.DTLS_MAX_DEFERRED_OUTBOUND_APPLICATION_MESSAGES, 1024);
        // A handshake gets the same retransmission budget as a push; pushes wait behind it without their own
        // timer, and a peer that drops our flights (a wrong key) would otherwise hold them for Scandium's ~1 min.
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, retransmits);
        this.keys = Map.copyOf(keys);
        this.renewEveryNanos = ackTimeout.toNanos() * (2L << retransmits);
    }

    /**
     * RFC 7252's MAX_TRANSMIT_WAIT for these settings: the longest a confirmable request can wait for its ACK
     * (the first timeout at most 1.5 times {@code ackTimeout}, doubling with each retransmission).
     */
    public static Duration maxTransmitWait(Duration ackTimeout, int retransmits) {
        return Duration.ofMillis((long) (ackTimeout.toMillis() * ((2L << retransmits) - 1) * 1.5));
    }

    /** The endpoint that reaches access point {@code apId} at {@code url}; started on first use. */
    public synchronized Endpoint endpointFor(String apId, URI url) throws IOException {
        String scheme = url.getScheme();
        if ("coaps".equals(scheme)) {
            return secureFor(apId);
        }
        if (!"coap".equals(scheme)) {
            throw new IOException("access point " + apId + " has url scheme '" + scheme + "'; expected coap or coaps");
        }
        if (udp == null) {
            udp = new CoapEndpoint.Builder()
                    .setConfiguration(config)
                    .setLoggingTag("label-push")
                    .build();
            udp.start();
        }
        return udp;
    }

    /**
     * A push to this access point went unanswered. An access point that rebooted has forgotten our DTLS session
     * and silently drops what we send under it, so the next push starts with a handshake (a resumption, or a full
     * one if the access point does not know the session). At most once per exchange lifetime, so the pushes that
     * were in flight under the old session do not each force another handshake.
     */
    public synchronized void noAnswerFrom(String apId) {
        CoapEndpoint endpoint = secure.get(apId);
        long now = System.nanoTime();
        Long last = renewedNanos.get(apId);
        if (endpoint == null || (last != null && now - last < renewEveryNanos)) {
            return;
        }
        renewedNanos.put(apId, now);
        ((DTLSConnector) endpoint.getConnector()).forceResumeAllSessions();
    }

    private Endpoint secureFor(String apId) throws IOException {
        CoapEndpoint endpoint = secure.get(apId);
        if (endpoint == null) {
            ApPskFile.ApPsk psk = keys.get(apId);
            if (psk == null) {
                throw new IOException("access point " + apId + " has a coaps:// url but no key in labels.ap-psk-file");
            }
            endpoint = DtlsEndpoints.client(config, psk.identity(), psk.key());
            endpoint.start();
            secure.put(apId, endpoint);
        }
        return endpoint;
    }

    @Override
    public synchronized void close() {
        if (udp != null) {
            udp.destroy();
            udp = null;
        }
        secure.values().forEach(CoapEndpoint::destroy);
        secure.clear();
    }
}
