package com.retailedge.sim.transport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** CoAP answers map to outcomes: 2.04 acked, 4.00 rejected. Real server on a free loopback port. */
class CoapPosterTest {
    private CoapServer server;
    private CoapPoster poster;
    private volatile int lastFormat = -1;

    @BeforeEach
    void start() throws Exception {
        // Loading the poster class registers Californium's config definitions.
        Class.forName(CoapPoster.class.getName());
        server = new CoapServer(Configuration.createStandardWithoutFile());
        server.addEndpoint(new CoapEndpoint.Builder()
                .setConfiguration(Configuration.createStandardWithoutFile())
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build());
        CoapResource button = new CoapResource("button");
        CoapResource b1 = new CoapResource("button-1");
        b1.add(new CoapResource("press") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                lastFormat = exchange.getRequestOptions().getContentFormat();
                String body = new String(exchange.getRequestPayload(), StandardCharsets.UTF_8);
                if (body.contains("\"press\"")) {
                    exchange.respond(ResponseCode.CHANGED);
                } else {
                    exchange.respond(ResponseCode.BAD_REQUEST, "missing press");
                }
            }
        });
        button.add(b1);
        server.add(button);
        server.start();
        int port = server.getEndpoints().get(0).getAddress().getPort();
        poster = new CoapPoster("coap://127.0.0.1:" + port);
    }

    @AfterEach
    void stop() {
        poster.close();
        server.destroy();
    }

    private Outcome post(String body) throws Exception {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        poster.post("/button/button-1/press", body.getBytes(StandardCharsets.UTF_8), f::complete);
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void changed_is_acked_and_the_payload_is_marked_json() throws Exception {
        assertEquals(Outcome.ACKED, post("{\"msgId\":\"m1\",\"press\":\"single\"}"));
        assertEquals(MediaTypeRegistry.APPLICATION_JSON, lastFormat);
    }

    @Test
    void bad_request_is_rejected() throws Exception {
        assertEquals(Outcome.REJECTED, post("{\"msgId\":\"m2\"}"));
    }

    @Test
    void an_unknown_resource_is_rejected_too() throws Exception {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        poster.post("/esl/esl-1/status", "{}".getBytes(StandardCharsets.UTF_8), f::complete);
        assertEquals(Outcome.REJECTED, f.get(10, TimeUnit.SECONDS));
    }
}
