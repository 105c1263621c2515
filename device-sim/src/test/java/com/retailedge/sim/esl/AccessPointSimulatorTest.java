package com.retailedge.sim.esl;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A simulated access point takes content for the labels it hosts (4.04 for others), shows it and reports the
 * status to a CoAP "gateway", also through 20% packet loss; a dead label reports nothing, a weak one 5%.
 */
@Timeout(60)
@Tag("slow")
class AccessPointSimulatorTest {
    @Test
    void content_is_taken_shown_and_reported_even_through_packet_loss() throws Exception {
        Queue<String> reports = new ConcurrentLinkedQueue<>();
        CoapConfig.register();
        UdpConfig.register();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.ACK_TIMEOUT, 300, TimeUnit.MILLISECONDS); // loopback: short retransmission timeouts
        CoapServer gateway = new CoapServer(config);
        gateway.addEndpoint(new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build());
        gateway.add(new CoapResource("esl") {
            @Override
            public Resource getChild(String name) {
                return new CoapResource(name) {
                    @Override
                    public Resource getChild(String leaf) {
                        return new CoapResource(leaf) {
                            @Override
                            public void handlePOST(CoapExchange exchange) {
                                reports.add(name + " " + exchange.getRequestText());
                                exchange.respond(ResponseCode.CHANGED);
                            }
                        };
                    }
                };
            }
        });
        gateway.start();
        int gatewayPort = gateway.getEndpoints().get(0).getAddress().getPort();
        ApOptions options = ApOptions.simple("ap-1", id -> id.startsWith("esl-"), "coap://127.0.0.1:" + gatewayPort)
                .withLoss(0.2)
                .withDead(Set.of("esl-3"))
                .withLowBattery(Set.of("esl-2"));
        CoapEndpoint client =
                new CoapEndpoint.Builder().setConfiguration(config).build();
        try (AccessPointSimulator ap = new AccessPointSimulator(options)) {
            ap.start();
            for (String label : List.of("esl-1", "esl-2", "esl-3")) {
                assertEquals(
                        ResponseCode.CHANGED,
                        put(client, ap, label, "{\"version\":5,\"sku\":\"A\",\"price\":\"1.00\"}")
                                .getCode());
            }
            assertEquals(
                    ResponseCode.NOT_FOUND,
                    put(client, ap, "tag-9", "{\"version\":1,\"price\":\"1.00\"}")
                            .getCode());
            assertEquals(
                    ResponseCode.BAD_REQUEST,
                    put(client, ap, "esl-1", "{\"sku\":\"A\"}").getCode());

            await().atMost(Duration.ofSeconds(30)).until(() -> reports.size() >= 2 && ap.shown("esl-1") == 5);
            assertEquals(5, ap.shown("esl-2"));
            assertEquals(0, ap.shown("esl-3"), "a dead label shows nothing");
            assertTrue(
                    reports.stream().anyMatch(r -> r.startsWith("esl-2 ") && r.contains("\"battery\":5")),
                    reports.toString());
            assertTrue(
                    reports.stream().anyMatch(r -> r.startsWith("esl-1 ") && r.contains("\"version\":5")),
                    reports.toString());
            assertTrue(reports.stream().noneMatch(r -> r.startsWith("esl-3 ")));
            assertEquals(List.of(5L), ap.received("esl-1"));
        } finally {
            client.destroy();
            gateway.destroy();
        }
    }

    private static CoapResponse put(CoapEndpoint endpoint, AccessPointSimulator ap, String label, String json)
            throws Exception {
        CoapClient client = new CoapClient(ap.url() + "/labels/" + label);
        client.setEndpoint(endpoint);
        client.setTimeout(20_000L);
        try {
            CoapResponse response =
                    client.put(json.getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON);
            if (response == null) {
                throw new AssertionError("no answer from the access point");
            }
            return response;
        } finally {
            client.shutdown();
        }
    }
}
