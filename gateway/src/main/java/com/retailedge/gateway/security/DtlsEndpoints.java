package com.retailedge.gateway.security;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Map;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * CoAP endpoints over DTLS 1.2 with pre-shared keys (Scandium). The server side takes every device's key; the
 * client side is for the gateway's own requests to a device (for example label pushes to an access point:
 * {@code client.setEndpoint(DtlsEndpoints.client(identity, key))} with a {@code coaps://} URI).
 */
public final class DtlsEndpoints {
    /** Enough for every device of a large store; Scandium keeps at most this many sessions. */
    private static final int MAX_CONNECTIONS = 20_000;

    private DtlsEndpoints() {}

    /** The standard CoAP configuration with the DTLS definitions registered. */
    public static Configuration configuration() {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
        return Configuration.createStandardWithoutFile();
    }

    /** A server endpoint on {@code address} that admits the identities of {@code keys} (identity = device id). */
    public static CoapEndpoint server(Configuration config, InetSocketAddress address, Map<String, byte[]> keys) {
        AdvancedMultiPskStore store = new AdvancedMultiPskStore();
        keys.forEach(store::setKey);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY)
                .set(DtlsConfig.DTLS_MAX_CONNECTIONS, MAX_CONNECTIONS)
                .setAddress(address)
                .setAdvancedPskStore(store)
                .setLoggingTag("devices")
                .build();
        return new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setConnector(new DTLSConnector(dtls))
                .build();
    }

    /**
     * A client endpoint on an ephemeral port that authenticates with one PSK; give it to a {@code CoapClient} and
     * use {@code coaps://host:port/...} URIs. The caller destroys it when done.
     */
    public static CoapEndpoint client(String identity, byte[] key) {
        return client(configuration(), identity, key);
    }

    /** As {@link #client(String, byte[])}, with the caller's CoAP and DTLS settings (from {@link #configuration()}). */
    public static CoapEndpoint client(Configuration config, String identity, byte[] key) {
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
                .setAddress(new InetSocketAddress(0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key))
                .build();
        return new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setConnector(new DTLSConnector(dtls))
                .build();
    }

    /** The PSK identity of a DTLS peer, or null for plain CoAP (or a peer that authenticated otherwise). */
    public static String pskIdentity(Principal peer) {
        return peer instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : null;
    }
}
