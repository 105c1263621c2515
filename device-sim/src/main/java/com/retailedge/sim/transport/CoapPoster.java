package com.retailedge.sim.transport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * Sends confirmable CoAP POSTs with JSON payloads from one local UDP endpoint, the way an ESL
 * access point or a button hub would. 2.04 counts as acked, 4.xx as rejected, anything else failed.
 */
public final class CoapPoster implements AutoCloseable {
    static {
        // Californium's typed config keys must be registered before the first endpoint is built,
        // otherwise it fails with "Configuration contains no values".
        CoapConfig.register();
        UdpConfig.register();
    }

    private final String baseUri;
    private final CoapEndpoint endpoint;

    /** @param baseUri {@code coap://host:port} of the gateway */
    public CoapPoster(String baseUri) throws IOException {
        if (!baseUri.startsWith("coap://")) {
            throw new IllegalArgumentException("CoAP URL must start with coap://, got '" + baseUri + "'");
        }
        this.baseUri = baseUri.endsWith("/") ? baseUri.substring(0, baseUri.length() - 1) : baseUri;
        // Without a file: the standard configuration would write Californium3.properties into the cwd.
        Configuration config = Configuration.createStandardWithoutFile();
        // Give up after about ten seconds rather than the default ~90, so a run's drain stays short.
        config.set(CoapConfig.ACK_TIMEOUT, 1, TimeUnit.SECONDS);
        config.set(CoapConfig.MAX_RETRANSMIT, 2);
        this.endpoint = new CoapEndpoint.Builder().setConfiguration(config).build();
        endpoint.start();
    }

    /** POSTs the payload to {@code path}; {@code done} hears exactly once, on a Californium thread. */
    public void post(String path, byte[] payload, Consumer<Outcome> done) {
        Request request = Request.newPost();
        request.setURI(baseUri + path);
        request.setPayload(payload);
        request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        request.addMessageObserver(new OnceObserver(done));
        endpoint.sendRequest(request);
    }

    @Override
    public void close() {
        endpoint.destroy();
    }

    /** Maps Californium's many callbacks onto a single outcome. */
    private static final class OnceObserver extends MessageObserverAdapter {
        private final Consumer<Outcome> done;
        private final java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();

        OnceObserver(Consumer<Outcome> done) {
            this.done = done;
        }

        private void fire(Outcome o) {
            if (fired.compareAndSet(false, true)) {
                done.accept(o);
            }
        }

        @Override
        public void onResponse(Response response) {
            ResponseCode code = response.getCode();
            if (code == ResponseCode.CHANGED) {
                fire(Outcome.ACKED);
            } else if (code.isClientError()) {
                fire(Outcome.REJECTED);
            } else {
                fire(Outcome.FAILED);
            }
        }

        @Override
        public void onTimeout() {
            fire(Outcome.FAILED);
        }

        @Override
        public void onReject() {
            fire(Outcome.FAILED);
        }

        @Override
        public void onCancel() {
            fire(Outcome.FAILED);
        }

        @Override
        public void onSendError(Throwable error) {
            fire(Outcome.FAILED);
        }

        @Override
        protected void failed() {
            fire(Outcome.FAILED);
        }
    }
}
