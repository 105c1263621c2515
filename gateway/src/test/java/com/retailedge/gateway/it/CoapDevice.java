package com.retailedge.gateway.it;

import java.io.IOException;
import java.time.Duration;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;

/**
 * A CoAP device (a button or a label's access point) as a real Californium client on its own UDP endpoint,
 * sending confirmable POSTs. Its own endpoint keeps the default endpoint's properties file out of the tree.
 */
final class CoapDevice implements AutoCloseable {
    private final String baseUri;
    private final CoapEndpoint endpoint;
    private final CoapClient client;

    CoapDevice(String baseUri, Duration timeout) throws IOException {
        CoapConfig.register();
        UdpConfig.register();
        this.baseUri = baseUri;
        this.endpoint = new CoapEndpoint.Builder()
                .setConfiguration(Configuration.createStandardWithoutFile())
                .build();
        this.endpoint.start();
        this.client = new CoapClient();
        client.setEndpoint(endpoint);
        client.setTimeout(timeout.toMillis());
    }

    /**
     * POSTs JSON to {@code path}, one request at a time; null when no answer came within the timeout (a device
     * would then send it again).
     */
    synchronized CoapResponse post(String path, String json) throws ConnectorException, IOException {
        client.setURI(baseUri + path);
        return client.post(json, MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void close() {
        client.shutdown();
        endpoint.destroy();
    }
}
