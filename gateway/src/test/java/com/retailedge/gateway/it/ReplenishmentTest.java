package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.domain.Gtin;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replenishment from the store's own data, through real parts: checkout lanes (one from the config's
 * {@code devices}, one bound by a cloud {@code bindings} command through a real Mosquitto as the cloud) publish
 * sales to the gateway's MQTT port with their own {@code at} times; the catalog, the SKU's replenishment
 * settings and receiving come as cloud commands; what the gateway asks for is read from its stored events and
 * {@code GET /api/v1/replenishment}.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class ReplenishmentTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SALE = "store/s001/pos/%s/sale";
    private static final String COFFEE = "4006381333931";
    private static final String NEW_ITEM = "5901234123457";
    /** A variable-measure code as the catalog lists it: item 12345, price zeroed. */
    private static final String CHEESE_CATALOG = withCheckDigit("251234500000");

    private Path dir;
    private Mosquitto cloud;
    private GatewayEnv env;
    private InProcessGateway gateway;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("replenishment-test");
        cloud = Mosquitto.start(dir.resolve("cloud"));
        // lane-1..4 come from the config's devices (GatewayEnv.DEVICES); lane-cloud from a bindings command.
        env = new GatewayEnv(dir.resolve("gateway"), cloud.url());
        gateway = InProcessGateway.start(env);
        api = new ApiClient(env.httpPort(), GatewayEnv.ADMIN_TOKEN);
        await().atMost(WAIT)
                .until(() -> "CONNECTED"
                        .equals(api.json("/health").at("/cloud/state").asText()));
        CloudCommands.send(
                cloud,
                "prices",
                "{\"commandId\":\"p-1\",\"prices\":[" + item("COFFEE", COFFEE) + "," + item("NEW-ITEM", NEW_ITEM) + ","
                        + item("CHEESE", CHEESE_CATALOG) + "]}");
        CloudCommands.send(
                cloud,
                "bindings",
                "{\"commandId\":\"b-1\",\"bindings\":[{\"deviceId\":\"lane-cloud\",\"kind\":\"pos\"}]}");
        CloudCommands.send(
                cloud,
                "replenishment",
                "{\"commandId\":\"r-1\",\"skus\":[{\"sku\":\"COFFEE\","
                        + "\"leadTime\":\"2d\",\"reviewPeriod\":\"1d\",\"packSize\":12,\"serviceLevel\":0.95}]}");
        CloudCommands.send(
                cloud,
                "stock",
                "{\"commandId\":\"s-1\",\"movements\":["
                        + "{\"sku\":\"COFFEE\",\"kind\":\"receiving\",\"qty\":400},"
                        + "{\"sku\":\"NEW-ITEM\",\"kind\":\"receiving\",\"qty\":20},"
                        + "{\"sku\":\"CHEESE\",\"kind\":\"receiving\",\"qty\":50}]}");
        await().atMost(WAIT)
                .until(() -> plan("COFFEE").path("onHand").asLong() == 400
                        && plan("COFFEE").path("packSize").asInt() == 12
                        && plan("NEW-ITEM").path("onHand").asLong() == 20);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void given_28_days_of_sales_sent_in_one_offline_burst_then_the_forecast_and_one_order_follow_from_them()
            throws Exception {
        Random random = new Random(17);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long sold = 0;
        try (MqttDevice lane = new MqttDevice(env.mqttUrl())) {
            // The lane was offline for four weeks: every sale goes now, with the time it happened.
            for (int daysAgo = 28; daysAgo >= 1; daysAgo--) {
                int dayTotal = 7 + random.nextInt(7);
                int[] split = {dayTotal / 3, dayTotal / 3, dayTotal - 2 * (dayTotal / 3)};
                for (int s = 0; s < 3; s++) {
                    Instant at = today.minusDays(daysAgo)
                            .atStartOfDay()
                            .toInstant(ZoneOffset.UTC)
                            .plusSeconds(36_000 + s * 14_400L);
                    String line = s == 0
                            ? "{\"sku\":\"COFFEE\",\"qty\":" + split[s] + "}"
                            : "{\"barcode\":\"" + COFFEE + "\",\"qty\":" + split[s] + "}";
                    lane.publish(SALE.formatted("lane-1"), sale("past-" + daysAgo + "-" + s, at, line));
                    sold += split[s];
                }
            }
        }
        long onHandAfterBurst = 400 - sold;
        await().atMost(WAIT).until(() -> plan("COFFEE").path("onHand").asLong() == onHandAfterBurst);
        JsonNode p = plan("COFFEE");
        assertEquals("forecast", p.get("basis").asText(), "28 days of history: the forecast, not the threshold");
        assertEquals(28, p.get("historyDays").asInt());
        double perDay = p.get("forecastPerDay").asDouble();
        assertTrue(perDay > 8.5 && perDay < 11.5, "about 10 a day: " + perDay);
        double sigma = p.get("sigmaPerDay").asDouble();
        assertTrue(sigma > 0.5 && sigma < 6, "the one-day error of demand 7..13: " + sigma);
        // Safety stock for 95 % over lead time 2d + review 1d: z(0.95) * sigma * sqrt(3).
        double safety = p.get("safetyStock").asDouble();
        assertEquals(1.6449 * sigma * Math.sqrt(3), safety, 0.05);
        long reorderPoint = p.get("reorderPoint").asLong();
        double coverDemand = reorderPoint - safety;
        assertTrue(coverDemand > 3 * 8 && coverDemand <= 3 * 12 + 1, "3 days of demand at ~10 a day: " + coverDemand);
        assertTrue(
                events(
                                "retail.replenishment.requested",
                                e -> "COFFEE".equals(e.at("/data/sku").asText()))
                        .isEmpty(),
                "well above the reorder point so far");
        assertEquals(
                84,
                events(
                                "retail.sale.recorded",
                                e -> "lane-1".equals(e.get("subject").asText())
                                        && e.at("/data/msgId").asText().startsWith("past-"))
                        .size());

        // Today the checkout lane bound by the cloud sells it down, 5 at a time, past the reorder point.
        long onHand = onHandAfterBurst;
        int n = 0;
        String crossing = null;
        try (MqttDevice lane = new MqttDevice(env.mqttUrl())) {
            while (onHand > reorderPoint) {
                String msgId = "today-" + n++;
                lane.publish(
                        SALE.formatted("lane-cloud"), sale(msgId, null, "{\"barcode\":\"" + COFFEE + "\",\"qty\":5}"));
                onHand -= 5;
                crossing = msgId;
            }
            lane.publish(SALE.formatted("lane-cloud"), sale("today-" + n++, null, "{\"sku\":\"COFFEE\",\"qty\":1}"));
            // The crossing sale again (a retry after a lost PUBACK): acted on once.
            lane.publish(
                    SALE.formatted("lane-cloud"), sale(crossing, null, "{\"barcode\":\"" + COFFEE + "\",\"qty\":5}"));
            onHand -= 1;
        }
        long expectedOnHand = onHand;
        String crossingMsgId = crossing;
        JsonNode request = await().atMost(WAIT)
                .until(
                        () -> events(
                                "retail.replenishment.requested",
                                e -> "COFFEE".equals(e.at("/data/sku").asText())),
                        l -> !l.isEmpty())
                .get(0);
        await().atMost(WAIT).until(() -> plan("COFFEE").path("onHand").asLong() == expectedOnHand);
        assertEquals(
                1,
                events(
                                "retail.replenishment.requested",
                                e -> "COFFEE".equals(e.at("/data/sku").asText()))
                        .size(),
                "one request per crossing");
        JsonNode data = request.get("data");
        assertEquals("forecast", data.get("basis").asText());
        assertEquals(crossingMsgId, data.get("msgId").asText(), "traced to the sale that crossed");
        assertEquals("lane-cloud", request.get("subject").asText());
        long orderQty = data.get("orderQty").asLong();
        assertTrue(orderQty > 0 && orderQty % 12 == 0, "whole packs of 12: " + orderQty);
        assertEquals(reorderPoint, data.get("reorderPoint").asLong());
        assertTrue(data.get("onHand").asLong() <= reorderPoint);
        assertTrue(
                data.get("onHand").asLong() + orderQty >= reorderPoint + Math.ceil(perDay) - 1,
                "up to the reorder point plus a review period's demand");
        assertEquals(perDay, data.get("forecastPerDay").asDouble(), 0.01);
        assertEquals(1.0, api.metric("gateway_replenishment_requests_total", Map.of("basis", "forecast")), 0.0);

        JsonNode after = plan("COFFEE");
        assertEquals(orderQty, after.get("onOrder").asLong(), "what is on order is visible");
        assertEquals(1, after.get("openRequests").size());
        assertFalse(after.get("lastRequestAt").isNull());
        // The store manager's screen lists it among the SKUs at their reorder point, with what is on order.
        JsonNode onScreen = null;
        for (JsonNode row : api.json("/dashboard/snapshot").at("/replenishment/skus")) {
            if ("COFFEE".equals(row.get("sku").asText())) {
                onScreen = row;
            }
        }
        assertTrue(onScreen != null && onScreen.get("onOrder").asLong() == orderQty, "dashboard: " + onScreen);

        // The delivery comes: receiving closes the request.
        CloudCommands.send(
                cloud,
                "stock",
                "{\"commandId\":\"s-2\",\"movements\":[{\"sku\":\"COFFEE\"," + "\"kind\":\"receiving\",\"qty\":"
                        + orderQty + "}]}");
        await().atMost(WAIT).until(() -> plan("COFFEE").path("onOrder").asLong() == 0);
        assertEquals(0, plan("COFFEE").get("openRequests").size());
        JsonNode summary = api.json("/api/v1/summary").get("replenishment");
        assertTrue(summary.get("requests").asInt() >= 1, summary.toString());
        assertTrue(summary.get("skus").asInt() >= 3, summary.toString());
        assertEquals(expectedOnHand + orderQty, plan("COFFEE").get("onHand").asLong());
    }

    @Test
    void given_a_new_sku_when_it_sells_down_to_its_threshold_then_it_asks_on_the_threshold_basis() throws Exception {
        try (MqttDevice lane = new MqttDevice(env.mqttUrl())) {
            lane.publish(
                    SALE.formatted("lane-2"), sale("new-1", null, "{\"barcode\":\"" + NEW_ITEM + "\",\"qty\":10}"));
            lane.publish(SALE.formatted("lane-2"), sale("new-2", null, "{\"barcode\":\"" + NEW_ITEM + "\",\"qty\":6}"));
        }
        JsonNode request = await().atMost(WAIT)
                .until(
                        () -> events(
                                "retail.replenishment.requested",
                                e -> "NEW-ITEM".equals(e.at("/data/sku").asText())),
                        l -> !l.isEmpty())
                .get(0);
        JsonNode data = request.get("data");
        assertEquals("threshold", data.get("basis").asText(), "no history yet");
        assertEquals("new-2", data.get("msgId").asText());
        assertEquals(4, data.get("onHand").asLong());
        assertEquals(5, data.get("reorderPoint").asLong(), "the configured stock.replenish-threshold");
        assertEquals(5, data.get("threshold").asLong());
        assertEquals(6, data.get("orderQty").asLong(), "up to twice the threshold");
        assertEquals("threshold", plan("NEW-ITEM").get("basis").asText());
    }

    @Test
    void given_a_sale_with_an_unknown_barcode_then_that_line_is_a_dead_letter_and_the_rest_counts() throws Exception {
        String cheeseScan = withCheckDigit("251234501234"); // 12.34 of cheese by price
        String unknown = withCheckDigit("400000000001");
        try (MqttDevice lane = new MqttDevice(env.mqttUrl())) {
            lane.publish(
                    SALE.formatted("lane-2"),
                    sale(
                            "mixed-1",
                            null,
                            "{\"barcode\":\"" + cheeseScan + "\",\"qty\":1}," + "{\"barcode\":\"" + unknown
                                    + "\",\"qty\":2},{\"sku\":\"CHEESE\",\"qty\":3}"));
        }
        JsonNode recorded = await().atMost(WAIT)
                .until(
                        () -> events(
                                "retail.sale.recorded",
                                e -> "mixed-1".equals(e.at("/data/msgId").asText())),
                        l -> !l.isEmpty())
                .get(0);
        assertEquals("lane-2", recorded.at("/data/laneId").asText());
        assertEquals(2, recorded.at("/data/lines").size());
        assertEquals(
                "CHEESE", recorded.at("/data/lines/0/sku").asText(), "the variable-measure code by its item number");
        assertEquals(1, recorded.at("/data/refusedLines").asInt());
        assertEquals(46, plan("CHEESE").get("onHand").asLong());
        List<JsonNode> changes = events(
                "retail.stock.changed",
                e -> "mixed-1".equals(e.at("/data/msgId").asText()));
        assertEquals(
                List.of("sale", "sale"),
                changes.stream().map(e -> e.at("/data/kind").asText()).toList());
        Map<String, Object> dead = await().atMost(WAIT)
                .until(
                        () -> api.deadLetters().stream()
                                .filter(d -> "unknown-barcode".equals(d.get("reason")))
                                .findFirst(),
                        o -> o.isPresent())
                .orElseThrow();
        assertEquals("lane-2", dead.get("deviceId"));
        assertTrue(String.valueOf(dead.get("detail")).contains("line 1"), String.valueOf(dead.get("detail")));
    }

    @Test
    void given_a_replenishment_command_with_a_bad_service_level_then_it_is_refused_and_reported() throws Exception {
        CloudCommands.send(
                cloud,
                "replenishment",
                "{\"commandId\":\"r-bad\",\"skus\":[{\"sku\":\"CHEESE\","
                        + "\"leadTime\":\"1d\",\"packSize\":6,\"serviceLevel\":0.9999}]}");
        JsonNode rejected = await().atMost(WAIT)
                .until(
                        () -> events(
                                "retail.command.rejected",
                                e -> "r-bad".equals(e.at("/data/commandId").asText())),
                        l -> !l.isEmpty())
                .get(0);
        assertEquals("bad-command", rejected.at("/data/reason").asText());
        assertTrue(rejected.at("/data/detail").asText().contains("serviceLevel"));
        assertTrue(api.deadLetters().stream()
                .anyMatch(d -> String.valueOf(d.get("address")).endsWith("/replenishment")));
        assertEquals(1, plan("CHEESE").get("packSize").asInt(), "nothing of it applied");
    }

    @Test
    void given_a_sale_from_a_lane_that_is_not_registered_then_it_is_bad_input() throws Exception {
        try (MqttDevice lane = new MqttDevice(env.mqttUrl())) {
            lane.publish(SALE.formatted("lane-9"), sale("ghost-1", null, "{\"sku\":\"CHEESE\",\"qty\":1}"));
        }
        await().atMost(WAIT)
                .until(() -> api.deadLetters().stream()
                        .anyMatch(d -> "unknown-device".equals(d.get("reason")) && "lane-9".equals(d.get("deviceId"))));
    }

    @Test
    void given_device_sim_pos_lanes_with_demand_profiles_then_each_sku_is_forecast_from_its_own_history() {
        int exit = com.retailedge.sim.cli.DeviceSimMain.commandLine()
                .execute(
                        "pos",
                        "--url",
                        env.mqttUrl(),
                        "--lanes",
                        "2",
                        "--skus",
                        "4",
                        "--sku-prefix",
                        "SIM-",
                        "--history-days",
                        "21",
                        "--promotion-days",
                        "5",
                        "--mean",
                        "10",
                        "--profiles",
                        "steady,seasonal,intermittent,promotion");
        assertEquals(0, exit);
        await().atMost(WAIT).until(() -> plan("SIM-4").path("historyDays").asInt() >= 15);
        JsonNode steady = plan("SIM-1");
        JsonNode intermittent = plan("SIM-3");
        JsonNode promotion = plan("SIM-4");
        assertEquals("forecast", steady.get("basis").asText());
        assertTrue(
                steady.get("forecastPerDay").asDouble() > 7
                        && steady.get("forecastPerDay").asDouble() < 13,
                steady.toString());
        assertEquals("sba", intermittent.get("method").asText(), "a day in four: intermittent");
        assertTrue(
                promotion.get("forecastPerDay").asDouble()
                        > 1.5 * steady.get("forecastPerDay").asDouble(),
                "the promotion's last days pull its level up: " + promotion);
        assertTrue(plan("SIM-1").get("onHand").asLong() < 0, "sold with nothing received: the ledger went below 0");
    }

    private JsonNode plan(String sku) {
        JsonNode rows = api.json("/api/v1/replenishment?sku=" + sku).get("replenishment");
        return rows.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : rows.get(0);
    }

    private List<JsonNode> events(String type, Predicate<JsonNode> filter) {
        return api.events().stream()
                .filter(e -> type.equals(e.get("type").asText()))
                .filter(filter)
                .toList();
    }

    private static String sale(String msgId, Instant at, String lines) {
        return "{\"msgId\":\"" + msgId + "\"," + (at == null ? "" : "\"at\":\"" + at + "\",") + "\"lines\":[" + lines
                + "]}";
    }

    private static String item(String sku, String gtin) {
        return "{\"sku\":\"" + sku + "\",\"name\":\"" + sku + "\",\"price\":\"1.00\",\"currency\":\"EUR\",\"gtins\":[\""
                + gtin + "\"]}";
    }

    private static String withCheckDigit(String body) {
        return body + Gtin.checkDigit(body);
    }
}
