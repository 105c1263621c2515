package com.retailedge.gateway.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;

/**
 * A CoAP device: a Californium client on its own endpoint (so no shared default endpoint outlives the test),
 * able to send bodies far over one datagram, which Californium then sends block-wise.
 */
public final class CoapDevice implements AutoCloseable {
    private static final long TIMEOUT_MS = 10_000;

    private final int port;
    private final CoapEndpoint endpoint;

    public CoapDevice(int port) {
        CoapConfig.register();
        UdpConfig.register();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 1024 * 1024);
        this.port = port;
        this.endpoint = new CoapEndpoint.Builder().setConfiguration(config).build();
    }

    /** POSTs a JSON payload and returns the answer; fails the test when none comes within the timeout. */
    public CoapResponse post(String path, byte[] payload) {
        return call(path, client -> client.post(payload, MediaTypeRegistry.APPLICATION_JSON));
    }

    /** A single press of {@code buttonId} with a fresh msgId; fails the test unless it is answered 2.04 Changed. */
    public void press(String buttonId) {
        String payload = "{\"msgId\":\"" + java.util.UUID.randomUUID() + "\",\"press\":\"single\"}";
        CoapResponse response =
                post("/button/" + buttonId + "/press", payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (response.getCode() != org.eclipse.californium.core.coap.CoAP.ResponseCode.CHANGED) {
            throw new AssertionError("press of " + buttonId + " answered " + response.getCode());
        }
    }

    public CoapResponse get(String path) {
        return call(path, CoapClient::get);
    }

    private interface Call {
        CoapResponse on(CoapClient client) throws ConnectorException, IOException;
    }

    private CoapResponse call(String path, Call call) {
        CoapClient client = new CoapClient("coap://127.0.0.1:" + port + path);
        client.setEndpoint(endpoint);
        client.setTimeout(TIMEOUT_MS);
        try {
            CoapResponse response = call.on(client);
            if (response == null) {
                throw new AssertionError("no CoAP answer to " + path + " within " + TIMEOUT_MS + " ms");
            }
            return response;
        } catch (ConnectorException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        endpoint.destroy();
    }
}
