package com.retailedge.gateway.it;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pick-to-light end to end, every part real: the cloud (Mosquitto) binds labels to SKUs on a simulated access point
 * (CoAP over UDP) and sends prices and an order; a PDA (Paho over the gateway's broker) logs in idle and gets the
 * order; the labels of the order's SKUs are pushed a version that flashes, and each stops flashing with a further
 * version once its line is picked. A label of a SKU outside the order is never touched.
 */
@Timeout(120)
@Tag("slow")
class PickToLightTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MILK = "4006381333931";
    private static final String BREAD = "5901234123457";
    private static final String TEA = "96385074";

    @TempDir
    Path dir;

    @Test
    void an_assigned_orders_labels_flash_until_their_lines_are_picked() throws Exception {
        int apPort = FreePorts.udp();
        GatewayEnv env =
                new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:1").set("GATEWAY_PICKING_ENABLED", "true");
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway = InProcessGateway.start(env.set("GATEWAY_CLOUD_URL", cloud.url()));
                AccessPointSimulator ap = new AccessPointSimulator(ApOptions.simple(
                                "ap-7",
                                id -> id.startsWith("esl-"),
                                gateway.env().coapUrl(""))
                        .withPort(apPort));
                PickingPda pda = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-1")) {
            ap.start();
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            await().atMost(WAIT)
                    .until(() -> "CONNECTED"
                            .equals(api.json("/health").at("/cloud/state").asText()));
            command(
                    cloud,
                    "bindings",
                    "{\"commandId\":\"b-1\",\"bindings\":["
                            + "{\"deviceId\":\"ap-7\",\"kind\":\"ap\",\"url\":\"coap://127.0.0.1:" + apPort + "\"},"
                            + label("esl-1", "MILK") + "," + label("esl-2", "BREAD") + "," + label("esl-3", "TEA")
                            + "]}");
            command(
                    cloud,
                    "prices",
                    "{\"commandId\":\"p-1\",\"prices\":[" + item("MILK", MILK, "1.09") + ","
                            + item("BREAD", BREAD, "2.49") + "," + item("TEA", TEA, "3.99") + "]}");
            await("every label shows its first version")
                    .atMost(WAIT)
                    .until(() -> List.of("esl-1", "esl-2", "esl-3").stream().allMatch(id -> ap.shown(id) == 1));
            for (String id : List.of("esl-1", "esl-2", "esl-3")) {
                assertFalse(ap.content(id).has("flash"), id + " " + ap.content(id));
            }

            command(
                    cloud,
                    "orders",
                    "{\"commandId\":\"o-1\",\"orders\":[{\"orderId\":\"L100\",\"due\":\""
                            + Instant.now().plusSeconds(1800) + "\",\"lines\":[{\"sku\":\"MILK\",\"qty\":2},"
                            + "{\"sku\":\"BREAD\",\"qty\":1}]}]}");
            await().atMost(WAIT)
                    .until(() -> api.json("/api/v1/orders?state=waiting")
                                    .get("orders")
                                    .size()
                            == 1);
            assertEquals(List.of(1L), ap.received("esl-1"), "a waiting order lights nothing");

            pda.status("login-1", "idle");
            assertEquals(
                    "L100",
                    pda.task(t -> t.get("orders").size() == 1)
                            .at("/orders/0/orderId")
                            .asText());
            await("the order's labels flash")
                    .atMost(WAIT)
                    .until(() -> ap.shown("esl-1") == 2 && ap.shown("esl-2") == 2);
            for (String id : List.of("esl-1", "esl-2")) {
                JsonNode content = ap.content(id);
                assertTrue(content.path("flash").asBoolean(), id + " " + content);
                assertEquals(2, content.get("version").asLong(), content.toString());
            }
            assertEquals("1.09", ap.content("esl-1").get("price").asText(), "the rest of the content stays");

            // The picker switches off: the order waits for someone again and its shelves go dark until then.
            pda.status("off-1", "off");
            await("lights off while nobody picks")
                    .atMost(WAIT)
                    .until(() -> ap.shown("esl-1") == 3 && ap.shown("esl-2") == 3);
            assertFalse(ap.content("esl-1").has("flash"), ap.content("esl-1").toString());
            assertFalse(ap.content("esl-2").has("flash"), ap.content("esl-2").toString());
            pda.status("login-2", "idle");
            pda.task(t -> t.get("orders").size() == 1);
            await("lit again once the order is taken")
                    .atMost(WAIT)
                    .until(() -> ap.shown("esl-1") == 4 && ap.shown("esl-2") == 4);
            assertTrue(
                    ap.content("esl-1").path("flash").asBoolean(),
                    ap.content("esl-1").toString());

            assertEquals(
                    "accepted", pda.scan("s-1", "L100", MILK, 1).get("result").asText());
            assertEquals(List.of(1L, 2L, 3L, 4L), ap.received("esl-1"), "one of two milks picked: still flashing");
            assertEquals(
                    "accepted", pda.scan("s-2", "L100", MILK, 1).get("result").asText());
            await("milk stops flashing").atMost(WAIT).until(() -> ap.shown("esl-1") == 5);
            assertFalse(ap.content("esl-1").has("flash"), ap.content("esl-1").toString());
            assertTrue(ap.content("esl-2").path("flash").asBoolean(), "bread is still to pick");

            JsonNode last = pda.scan("s-3", "L100", BREAD, 1);
            assertTrue(last.get("orderDone").asBoolean(), last.toString());
            await("bread stops flashing").atMost(WAIT).until(() -> ap.shown("esl-2") == 5);
            assertFalse(ap.content("esl-2").has("flash"), ap.content("esl-2").toString());

            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ap.received("esl-1"));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ap.received("esl-2"));
            assertEquals(List.of(1L), ap.received("esl-3"), "a SKU outside the order is not touched");
            await("every label current")
                    .atMost(WAIT)
                    .until(() ->
                            api.json("/api/v1/summary").at("/labels/current").asLong() == 3);
        }
    }

    private static String label(String id, String sku) {
        return "{\"deviceId\":\"" + id + "\",\"kind\":\"label\",\"sku\":\"" + sku + "\",\"ap\":\"ap-7\"}";
    }

    private static String item(String sku, String gtin, String price) {
        return "{\"sku\":\"" + sku + "\",\"name\":\"" + sku + "\",\"price\":\"" + price + "\",\"currency\":\"EUR\","
                + "\"gtins\":[\"" + gtin + "\"]}";
    }

    private static void command(Mosquitto cloud, String kind, String json) throws Exception {
        CloudCommands.send(cloud, kind, json);
    }
}
