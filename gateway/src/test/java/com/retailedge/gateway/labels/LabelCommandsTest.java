package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.sim.esl.AccessPointSimulator;
import com.retailedge.sim.esl.ApOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cloud's {@code bindings} and {@code prices} commands drive labels: binding labels to a SKU and an access
 * point, a price with a running promotion and a member price, a bad promotion refusing its whole command, and a
 * removed binding.
 */
@Timeout(90)
@Tag("slow")
class LabelCommandsTest {
    private static final String COMMANDS = "retail/" + GatewayEnv.STORE + "/commands/";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void cloud_bindings_and_prices_reach_the_labels() throws Exception {
        int apPort = FreePorts.udp();
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), cloud.url()));
                AccessPointSimulator ap = new AccessPointSimulator(
                        ApOptions.simple("ap-9", id -> true, gateway.env().coapUrl(""))
                                .withPort(apPort))) {
            ap.start();
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            await().atMost(WAIT)
                    .until(() -> "CONNECTED"
                            .equals(api.json("/health").at("/cloud/state").asText()));
            MqttClient backend = new MqttClient(cloud.url(), "backend", new MemoryPersistence());
            backend.connect();
            StringBuilder bindings = new StringBuilder("{\"commandId\":\"b-1\",\"bindings\":[{\"deviceId\":\"ap-9\","
                    + "\"kind\":\"ap\",\"url\":\"coap://127.0.0.1:" + apPort + "\"}");
            for (int n = 1; n <= 5; n++) {
                bindings.append(",{\"deviceId\":\"esl-")
                        .append(n)
                        .append("\",\"kind\":\"label\",\"sku\":\"CHEESE\",\"ap\":\"ap-9\"}");
            }
            send(backend, "bindings", bindings.append("]}").toString());
            String promotion =
                    "{\"price\":\"3.49\",\"start\":\"" + Instant.now().minusSeconds(60) + "\",\"end\":\""
                            + Instant.now().plusSeconds(3600) + "\"}";
            send(
                    backend,
                    "prices",
                    "{\"commandId\":\"p-1\",\"prices\":[{\"sku\":\"CHEESE\",\"name\":\"Gouda\","
                            + "\"price\":\"4.99\",\"currency\":\"EUR\",\"memberPrice\":\"4.49\",\"promotion\":"
                            + promotion + "}]}");
            // A bad promotion refuses the whole command: the price stays as it was.
            send(
                    backend,
                    "prices",
                    "{\"commandId\":\"p-2\",\"prices\":[{\"sku\":\"CHEESE\",\"name\":\"Gouda\","
                            + "\"price\":\"1.00\",\"currency\":\"EUR\",\"promotion\":{\"price\":\"cheap\"}}]}");

            await("the five bound labels current").atMost(WAIT).until(() -> countCurrent(api) == 5);
            for (int n = 1; n <= 5; n++) {
                JsonNode content = ap.content("esl-" + n);
                assertEquals("3.49", content.get("price").asText(), content.toString());
                assertEquals("4.99", content.get("regularPrice").asText());
                assertEquals("4.49", content.get("memberPrice").asText());
                assertEquals("Gouda", content.get("name").asText());
            }
            await().atMost(WAIT)
                    .until(() -> api.events().stream()
                            .anyMatch(e -> e.get("type").asText().equals("retail.command.rejected")
                                    && e.at("/data/commandId").asText().equals("p-2")));
            JsonNode rejected = api.events().stream()
                    .filter(e -> e.at("/data/commandId").asText().equals("p-2"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(rejected.at("/data/detail").asText().contains("promotion.price"), rejected.toString());

            send(
                    backend,
                    "bindings",
                    "{\"commandId\":\"b-2\",\"bindings\":[{\"deviceId\":\"esl-5\",\"remove\":true}]}");
            backend.disconnect();
            backend.close();
            await("an unbound label is no longer listed")
                    .atMost(WAIT)
                    .until(() -> labelIds(api).equals(List.of("esl-1", "esl-2", "esl-3", "esl-4")));
        }
    }

    private static long countCurrent(ApiClient api) {
        return api.json("/api/v1/summary").at("/labels/current").asLong();
    }

    private static List<String> labelIds(ApiClient api) {
        List<String> ids = new java.util.ArrayList<>();
        api.json("/api/v1/labels")
                .get("labels")
                .forEach(l -> ids.add(l.get("labelId").asText()));
        return ids;
    }

    private static void send(MqttClient backend, String kind, String json) throws Exception {
        CloudCommands.send(backend, kind, json);
    }
}
