package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Commands published by the cloud on its broker reach the gateway over its cloud link and are applied once per
 * commandId: a {@code bindings} command registers a device that can then talk, a {@code prices} command maps a
 * GTIN to its SKU on scan events, a repeat changes nothing, and a bad command comes back as
 * {@code retail.command.rejected}.
 */
@Timeout(60)
@Tag("slow")
class CloudCommandsTest {
    private static final String COMMANDS = "retail/" + GatewayEnv.STORE + "/commands/";

    @TempDir
    Path dir;

    @Test
    void cloud_commands_are_applied_once_and_bad_ones_are_reported_back() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector events = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), cloud.url()));
                CoapDevice button = new CoapDevice(gateway.env().coapPort())) {
            GatewayEnv env = gateway.env();
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "CONNECTED"
                            .equals(api.json("/health").at("/cloud/state").asText()));
            String press = "{\"msgId\":\"new-1\",\"press\":\"single\"}";
            assertEquals(
                    ResponseCode.BAD_REQUEST,
                    button.post("/button/button-99/press", press.getBytes(UTF_8))
                            .getCode(),
                    "not registered yet");

            MqttClient backend = new MqttClient(cloud.url(), "backend", new MemoryPersistence());
            backend.connect(CloudCommands.backendOptions());
            send(
                    backend,
                    "bindings",
                    "{\"commandId\":\"c-1\",\"bindings\":[{\"deviceId\":\"button-99\","
                            + "\"kind\":\"button\",\"action\":\"reorder\",\"sku\":\"MILK-1\",\"qty\":6}]}");
            send(
                    backend,
                    "prices",
                    "{\"commandId\":\"c-2\",\"prices\":[{\"sku\":\"MILK-1\",\"name\":\"Milk 1l\","
                            + "\"price\":\"1.19\",\"currency\":\"EUR\",\"gtins\":[\"4006381333931\"]}]}");
            // The same commandId again, with other content: applied once means this one changes nothing.
            send(
                    backend,
                    "bindings",
                    "{\"commandId\":\"c-1\",\"bindings\":[{\"deviceId\":\"button-99\",\"remove\":true}]}");
            send(
                    backend,
                    "prices",
                    "{\"commandId\":\"c-3\",\"prices\":[{\"sku\":\"X\",\"name\":\"X\",\"price\":\"abc\","
                            + "\"currency\":\"EUR\"}]}");
            backend.disconnect();
            backend.close();

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> events.distinctEvents().stream()
                            .anyMatch(e -> "retail.command.rejected"
                                    .equals(e.path("type").asText())));
            JsonNode rejected = events.distinctEvents().stream()
                    .filter(e -> "retail.command.rejected".equals(e.path("type").asText()))
                    .findFirst()
                    .orElseThrow();
            assertEquals("c-3", rejected.at("/data/commandId").asText());
            assertEquals("bad-command", rejected.at("/data/reason").asText());

            assertEquals(
                    ResponseCode.CHANGED,
                    button.post("/button/button-99/press", press.getBytes(UTF_8))
                            .getCode(),
                    "registered by the cloud, and not removed by the repeated commandId");
            try (var pda = new com.retailedge.gateway.clients.MqttDevice(env.mqttUrl())) {
                pda.publish(
                        "store/s001/pda/pda-1/scan",
                        "{\"msgId\":\"scan-1\",\"orderId\":\"o-1\",\"barcode\":\"4006381333931\",\"qty\":1}");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> events.msgIds().containsAll(List.of("new-1", "scan-1")));
            JsonNode scan = events.distinctEvents().stream()
                    .filter(e -> "scan-1".equals(e.at("/data/msgId").asText()))
                    .findFirst()
                    .orElseThrow();
            assertEquals("MILK-1", scan.at("/data/sku").asText(), "the prices command mapped the GTIN");
            JsonNode pressed = events.distinctEvents().stream()
                    .filter(e -> "new-1".equals(e.at("/data/msgId").asText()))
                    .findFirst()
                    .orElseThrow();
            assertEquals("reorder", pressed.at("/data/action").asText(), "the binding's action");
        }
    }

    private static void send(MqttClient backend, String kind, String json) throws Exception {
        CloudCommands.send(backend, kind, json);
    }
}
