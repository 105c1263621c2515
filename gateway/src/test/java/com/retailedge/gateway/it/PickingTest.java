package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Picking over real MQTT, a real cloud broker and a real SQLite file: orders arrive as cloud commands, a
 * logged-in PDA gets its pick list in walking order, every scan is answered with accepted or rejected, why,
 * and what is left; the stock ledger moves with each pick, asks for replenishment once when a SKU falls to its
 * threshold; shorts and substitutions complete an order; all of it works with the cloud down and is reported
 * once it is back.
 */
@Timeout(120)
@Tag("slow")
class PickingTest {
    private static final String MILK = "4006381333931";
    private static final String BREAD = "5901234123457";
    private static final String NOT_IN_ORDER = "036000291452";
    /** Variable measure: apples, item 12345, weight 0 in the catalog; 1250 g on the scale's label. */
    private static final String APPLES_CATALOG = "2012345000001";

    private static final String APPLES_1250G = "2012345012509";
    private static final String TEA = "96385074";
    /** Only the order names this one for its MILK line; the catalog does not know it. */
    private static final String MILK_MULTIPACK_LABEL = "8712345678906";

    private static final String GREEN_TEA = "09506000134352";

    @TempDir
    Path dir;

    @Test
    void a_full_order_with_wrong_item_bad_check_digit_over_pick_and_repeated_scans() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector events = CloudCollector.subscribe(cloud.url());
                InProcessGateway gateway = InProcessGateway.start(picking(cloud.url()));
                PickingPda pda = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-1")) {
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            awaitCloud(api);
            command(cloud, "prices", catalog("p-1"));
            command(
                    cloud,
                    "stock",
                    "{\"commandId\":\"s-1\",\"movements\":[{\"sku\":\"MILK\",\"kind\":\"receiving\","
                            + "\"qty\":10}],\"thresholds\":[{\"sku\":\"MILK\",\"threshold\":8}]}");
            command(
                    cloud,
                    "orders",
                    "{\"commandId\":\"o-1\",\"orders\":[{\"orderId\":\"A100\",\"due\":\""
                            + Instant.now().plusSeconds(1800) + "\",\"lines\":["
                            + "{\"sku\":\"MILK\",\"qty\":2,\"location\":\"B-02\",\"gtins\":[\"" + MILK_MULTIPACK_LABEL
                            + "\"]},"
                            + "{\"sku\":\"APPLES\",\"weightG\":1200,\"location\":\"C-01\"},"
                            + "{\"sku\":\"BREAD\",\"qty\":1,\"location\":\"A-07\"}]}]}");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.json("/api/v1/orders?state=waiting")
                                    .get("orders")
                                    .size()
                            == 1);

            pda.status("login-1", "idle");
            JsonNode task = pda.task(t -> t.get("orders").size() == 1);
            assertEquals("A100", task.at("/orders/0/orderId").asText());
            assertEquals(
                    List.of("BREAD", "MILK", "APPLES"), skus(task.at("/orders/0/lines")), "walking order by location");

            JsonNode wrong = pda.scan("s-1", "A100", NOT_IN_ORDER, 1);
            assertEquals("rejected", wrong.get("result").asText());
            assertEquals("wrong-item", wrong.get("reason").asText());
            assertEquals(3, wrong.get("left").size(), "a rejection still says what is left");
            assertEquals(
                    "bad-barcode",
                    pda.scan("s-2", "A100", "4006381333932", 1).get("reason").asText());
            assertEquals(
                    "unknown-order",
                    pda.scan("s-3", "NOPE", MILK, 1).get("reason").asText());

            JsonNode first = pda.scan("s-4", "A100", MILK, 1);
            assertEquals("accepted", first.get("result").asText());
            assertEquals(Map.of("BREAD", 1, "MILK", 1, "APPLES", 1200), left(first));
            assertEquals(
                    "over-pick", pda.scan("s-5", "A100", MILK, 2).get("reason").asText());
            // The same msgId again (a retry after a lost reply): the same answer, acted on once.
            JsonNode again = pda.scan("s-4", "A100", MILK, 1);
            assertEquals(first, again);
            // A GTIN that only the order names (not in the catalog), read as a GS1 element string.
            JsonNode second = pda.scan("s-6", "A100", "(01)0" + MILK_MULTIPACK_LABEL, 1);
            assertEquals(Map.of("BREAD", 1, "APPLES", 1200), left(second), "two scans of one SKU are two picks");
            JsonNode bread = pda.scan("s-7", "A100", "]C1" + "01" + "0" + BREAD + "10LOT-9", 1);
            assertEquals("accepted", bread.get("result").asText(), "GS1-128 element string: " + bread);
            JsonNode apples = pda.scan("s-8", "A100", APPLES_1250G, 1);
            assertEquals("accepted", apples.get("result").asText(), "1250 g is within 10% of 1200 g: " + apples);
            assertTrue(apples.get("orderDone").asBoolean());
            assertEquals(
                    "order-closed",
                    pda.scan("s-9", "A100", MILK, 1).get("reason").asText());
            pda.task(t -> t.get("orders").isEmpty());

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ofType(events, "retail.order.picked").size() == 1);
            JsonNode picked = ofType(events, "retail.order.picked").get(0);
            assertEquals("A100", picked.at("/data/orderId").asText());
            assertEquals("s-8", picked.at("/data/msgId").asText());
            assertEquals("pda-1", picked.get("subject").asText());
            assertEquals(3, picked.at("/data/lines").size());
            assertTrue(picked.at("/data/pickSeconds").isNumber());

            // MILK: 10 received, 2 picked: 8 is its threshold, crossed once.
            assertEquals(
                    8, api.json("/api/v1/stock?sku=MILK").at("/stock/0/onHand").asInt());
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            ofType(events, "retail.replenishment.requested").size() == 1);
            JsonNode replenish =
                    ofType(events, "retail.replenishment.requested").get(0);
            assertEquals("MILK", replenish.at("/data/sku").asText());
            assertEquals("s-6", replenish.at("/data/msgId").asText());
            List<JsonNode> milkMoves = ofType(events, "retail.stock.changed").stream()
                    .filter(e -> e.at("/data/sku").asText().equals("MILK"))
                    .toList();
            assertEquals(
                    List.of(10, 9, 8),
                    milkMoves.stream().map(e -> e.at("/data/onHand").asInt()).toList());

            List<String> reasons = api.deadLetters().stream()
                    .map(d -> (String) d.get("reason"))
                    .toList();
            assertEquals(List.of("wrong-item", "bad-barcode", "unknown-order", "over-pick", "order-closed"), reasons);
            assertEquals(
                    1,
                    events.distinctEvents().stream()
                            .filter(e -> "s-4".equals(e.at("/data/msgId").asText())
                                    && e.get("type").asText().equals("retail.scan.accepted"))
                            .count(),
                    "s-4 acted on once");

            JsonNode summary = api.json("/api/v1/summary");
            assertEquals(1, summary.at("/orders/picked").asInt());
            assertEquals(0, summary.at("/orders/waiting").asInt());
            assertEquals(8, summary.at("/stock/MILK").asInt(), "+10 received, -2 picked");
            assertEquals(-1, summary.at("/stock/APPLES").asInt());
            assertEquals(
                    "A100",
                    api.json("/api/v1/orders?state=picked")
                            .at("/orders/0/orderId")
                            .asText());
            assertEquals(400, api.get("/api/v1/orders?state=lost").statusCode());
            assertEquals(400, api.get("/api/v1/orders?limit=0").statusCode());
            assertEquals(401, api.get("/api/v1/stock?sku=MILK", null).statusCode());
        }
    }

    @Test
    void short_pick_substitution_and_late_orders_work_offline_and_are_reported_when_the_cloud_is_back()
            throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                CloudCollector events = CloudCollector.subscribePersistent(cloud.url(), "backend-events");
                InProcessGateway gateway =
                        InProcessGateway.start(picking(cloud.url()).set("GATEWAY_PICKING_LATE_CHECK", "300ms"));
                PickingPda pda2 = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-2");
                PickingPda pda3 = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-3")) {
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            awaitCloud(api);
            command(cloud, "prices", catalog("p-1"));
            command(
                    cloud,
                    "orders",
                    "{\"commandId\":\"o-2\",\"orders\":[{\"orderId\":\"B200\",\"due\":\""
                            + Instant.now().plusSeconds(1800) + "\",\"lines\":["
                            + "{\"sku\":\"TEA\",\"qty\":2,\"substitutionAllowed\":true},{\"sku\":\"BREAD\",\"qty\":1}]},"
                            + "{\"orderId\":\"LATE1\",\"due\":\""
                            + Instant.now().minusSeconds(60) + "\",\"lines\":["
                            + "{\"sku\":\"MILK\",\"qty\":1}]}]}");
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            api.json("/api/v1/orders?state=late").get("orders").size() == 1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ofType(events, "retail.order.late").size() == 1);

            cloud.stop();
            // No status sent: the first accepted scan of a waiting order makes it this PDA's.
            JsonNode tea = pda2.scan("t-1", "B200", TEA, 1);
            assertEquals("accepted", tea.get("result").asText(), tea.toString());
            assertEquals(
                    "order-not-yours",
                    pda3.scan("t-2", "B200", TEA, 1).get("reason").asText());
            assertEquals(
                    "substitution-not-allowed",
                    pda2.substitute("t-3", "B200", "BREAD", GREEN_TEA, 1)
                            .get("reason")
                            .asText());
            assertEquals(
                    "over-pick",
                    pda2.substitute("t-4", "B200", "TEA", GREEN_TEA, 2)
                            .get("reason")
                            .asText());
            JsonNode sub = pda2.substitute("t-5", "B200", "TEA", GREEN_TEA, 1);
            assertEquals("accepted", sub.get("result").asText(), sub.toString());
            assertEquals(Map.of("BREAD", 1), left(sub));
            JsonNode shorted = pda2.shortPick("t-6", "B200", "BREAD", "out-of-stock");
            assertEquals("accepted", shorted.get("result").asText(), shorted.toString());
            assertTrue(shorted.get("orderDone").asBoolean());
            assertEquals(
                    "picked",
                    api.json("/api/v1/orders?state=picked")
                            .at("/orders/0/state")
                            .asText());
            assertEquals(1, api.json("/api/v1/summary").at("/orders/shorts").asInt());
            assertEquals(0, ofType(events, "retail.order.picked").size(), "the cloud is down");

            cloud.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ofType(events, "retail.order.picked").size() == 1);
            JsonNode picked = ofType(events, "retail.order.picked").get(0);
            assertEquals("B200", picked.at("/data/orderId").asText());
            assertEquals("t-6", picked.at("/data/msgId").asText());
            assertEquals("BREAD", picked.at("/data/shorts/0/sku").asText());
            assertEquals("out-of-stock", picked.at("/data/shorts/0/reason").asText());
            assertEquals(
                    "GREEN-TEA",
                    picked.at("/data/substitutions/0/substituteSku").asText());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ofType(events, "retail.stock.changed").size() == 2);
            assertEquals(
                    List.of("TEA", "GREEN-TEA"),
                    ofType(events, "retail.stock.changed").stream()
                            .map(e -> e.at("/data/sku").asText())
                            .toList());

            // Admin REST books receiving; the read token may not.
            assertEquals(403, post(gateway.env().httpPort(), GatewayEnv.READ_TOKEN, "{\"movements\":[]}"));
            assertEquals(
                    400,
                    post(
                            gateway.env().httpPort(),
                            GatewayEnv.ADMIN_TOKEN,
                            "{\"movements\":[{\"sku\":\"TEA\",\"kind\":\"theft\",\"qty\":1}]}"));
            assertEquals(
                    200,
                    post(
                            gateway.env().httpPort(),
                            GatewayEnv.ADMIN_TOKEN,
                            "{\"movements\":[{\"sku\":\"TEA\",\"kind\":\"receiving\",\"qty\":24},"
                                    + "{\"sku\":\"TEA\",\"kind\":\"count\",\"qty\":20}]}"));
            assertEquals(
                    20, api.json("/api/v1/stock?sku=TEA").at("/stock/0/onHand").asInt());
        }
    }

    @Test
    void idle_pdas_get_the_earliest_due_orders_up_to_their_share_and_an_off_pda_gives_its_orders_back()
            throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway =
                        InProcessGateway.start(picking(cloud.url()).set("GATEWAY_PICKING_ORDERS_PER_PICKER", "2"));
                PickingPda pda4 = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-4");
                PickingPda pda5 = new PickingPda(gateway.env().mqttUrl(), GatewayEnv.STORE, "pda-5")) {
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            awaitCloud(api);
            Instant now = Instant.now();
            command(
                    cloud,
                    "orders",
                    "{\"commandId\":\"o-3\",\"orders\":[" + order("C1", now.plusSeconds(3000)) + ","
                            + order("C2", now.plusSeconds(600)) + "," + order("C3", now.plusSeconds(1800)) + "]}");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.json("/api/v1/orders?state=waiting")
                                    .get("orders")
                                    .size()
                            == 3);

            pda4.status("in-4", "idle");
            assertEquals(
                    List.of("C2", "C3"), orderIds(pda4.task(t -> t.get("orders").size() == 2)), "earliest due first");
            pda5.status("in-5", "idle");
            assertEquals(List.of("C1"), orderIds(pda5.task(t -> t.get("orders").size() == 1)), "what is left");
            // Idle again (a PDA that lost its list): the same list again, nothing new.
            pda5.status("in-5b", "idle");
            assertEquals(List.of("C1"), orderIds(pda5.task(t -> t.get("orders").size() == 1)));

            pda4.status("off-4", "off");
            assertEquals(
                    List.of("C2", "C1"),
                    orderIds(pda5.task(t -> t.get("orders").size() == 2)),
                    "pda-4's orders went back to waiting; idle pda-5 takes the earliest into its free place");
            assertEquals(
                    "C3",
                    api.json("/api/v1/orders?state=waiting")
                            .at("/orders/0/orderId")
                            .asText());
            assertEquals(2, api.json("/api/v1/summary").at("/orders/picking").asInt());
        }
    }

    private static String order(String orderId, Instant due) {
        return "{\"orderId\":\"" + orderId + "\",\"due\":\"" + due + "\",\"lines\":[{\"sku\":\"MILK\",\"qty\":1}]}";
    }

    private static List<String> orderIds(JsonNode task) {
        return StreamSupport.stream(task.get("orders").spliterator(), false)
                .map(o -> o.get("orderId").asText())
                .toList();
    }

    private GatewayEnv picking(String cloudUrl) {
        return new GatewayEnv(dir.resolve("gateway"), cloudUrl).set("GATEWAY_PICKING_ENABLED", "true");
    }

    private static String catalog(String commandId) {
        return "{\"commandId\":\"" + commandId + "\",\"prices\":["
                + item("MILK", MILK) + "," + item("BREAD", BREAD) + "," + item("APPLES", APPLES_CATALOG) + ","
                + item("TEA", TEA) + "," + item("GREEN-TEA", GREEN_TEA) + "," + item("OTHER", NOT_IN_ORDER) + "]}";
    }

    private static String item(String sku, String gtin) {
        return "{\"sku\":\"" + sku + "\",\"name\":\"" + sku + "\",\"price\":\"1.00\",\"currency\":\"EUR\",\"gtins\":[\""
                + gtin + "\"]}";
    }

    private static void awaitCloud(ApiClient api) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "CONNECTED"
                        .equals(api.json("/health").at("/cloud/state").asText()));
    }

    private static void command(Mosquitto cloud, String kind, String json) throws Exception {
        CloudCommands.send(cloud, kind, json);
    }

    private static List<JsonNode> ofType(CloudCollector events, String type) {
        return events.distinctEvents().stream()
                .filter(e -> type.equals(e.path("type").asText()))
                .toList();
    }

    private static List<String> skus(JsonNode lines) {
        return StreamSupport.stream(lines.spliterator(), false)
                .map(l -> l.get("sku").asText())
                .toList();
    }

    /** {@code left} of a reply as SKU -> items or grams. */
    private static Map<String, Integer> left(JsonNode reply) {
        Map<String, Integer> left = new java.util.HashMap<>();
        reply.get("left")
                .forEach(l -> left.put(
                        l.get("sku").asText(),
                        l.has("qty") ? l.get("qty").asInt() : l.get("weightG").asInt()));
        return left;
    }

    private static int post(int port, String token, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/stock"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(20))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
