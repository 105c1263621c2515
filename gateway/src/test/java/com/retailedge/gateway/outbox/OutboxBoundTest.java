package com.retailedge.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the cloud away and the outbox at its configured bound, new device input is refused where the device
 * can hear it (CoAP 5.03, a rejected PDA reply), kept as a dead letter, and the state shows in /health and
 * the metrics; the events already accepted stay.
 */
@Timeout(60)
@Tag("slow")
class OutboxBoundTest {
    private static final String PRESS = "{\"msgId\":\"%s\",\"press\":\"single\"}";

    @TempDir
    Path dir;

    @Test
    void given_a_full_outbox_when_devices_send_then_input_is_refused_visibly_and_nothing_accepted_is_lost()
            throws Exception {
        GatewayEnv env = new GatewayEnv(dir.resolve("data"), "tcp://127.0.0.1:" + FreePorts.tcp())
                .set("GATEWAY_OUTBOX_MAX_EVENTS", "3")
                // Presses in a burst would be bounces; here each must become its event.
                .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
        try (InProcessGateway gateway = InProcessGateway.start(env);
                CoapDevice coap = new CoapDevice(env.coapPort());
                MqttDevice pda = new MqttDevice(env.mqttUrl())) {
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            for (int i = 1; i <= 3; i++) {
                CoapResponse accepted = coap.post(
                        "/button/button-1/press", String.format(PRESS, "p" + i).getBytes(UTF_8));
                assertEquals(ResponseCode.CHANGED, accepted.getCode());
            }

            CoapResponse refused = coap.post(
                    "/button/button-1/press", String.format(PRESS, "p4").getBytes(UTF_8));
            assertEquals(ResponseCode.SERVICE_UNAVAILABLE, refused.getCode());
            assertTrue(refused.getResponseText().startsWith("outbox-full"), refused.getResponseText());

            pda.subscribe("store/s001/pda/pda-1/reply");
            pda.publish(
                    "store/s001/pda/pda-1/scan",
                    "{\"msgId\":\"s1\",\"orderId\":\"o-1\",\"barcode\":\"4006381333931\",\"qty\":1}");
            MqttDevice.Received reply = pda.next(10);
            JsonNode answer = ApiClient.parse(reply.payload());
            assertEquals("rejected", answer.get("result").asText());
            assertEquals("outbox-full", answer.get("reason").asText());

            assertEquals(
                    2,
                    api.deadLetters().stream()
                            .filter(d -> "outbox-full".equals(d.get("reason")))
                            .count());
            JsonNode health = api.json("/health");
            assertTrue(health.at("/outbox/full").asBoolean(), health.toString());
            assertEquals(3, health.at("/outbox/pending").asLong());
            assertEquals(1.0, api.metric("gateway_outbox_full", Map.of()));
            assertEquals(3, api.events().size(), "the accepted events are all still there");
        }
    }
}
