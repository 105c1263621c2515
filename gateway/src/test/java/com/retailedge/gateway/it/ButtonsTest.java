package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dash buttons over real MQTT and CoAP, bound by a real cloud {@code bindings} command: bounces and repeated
 * msgIds count once, a reorder is held for the cancel window (which survives a restart) and then requested, a
 * double press cancels it, presses kept offline too long wait for confirmation, staff notices reach the PDAs and
 * stay open until one acknowledges, and a low battery is flagged.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class ButtonsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PRESS = "store/s001/button/%s/press";

    private Path dir;
    private Mosquitto cloud;
    private GatewayEnv env;
    private InProcessGateway gateway;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("buttons-test");
        cloud = Mosquitto.start(dir.resolve("cloud"));
        env = new GatewayEnv(dir.resolve("gateway"), cloud.url())
                .set("GATEWAY_BUTTONS_DEBOUNCE", "2s")
                .set("GATEWAY_BUTTONS_CANCEL_WINDOW", "6s")
                .set("GATEWAY_BUTTONS_MAX_PRESS_AGE", "10m")
                .set("GATEWAY_BUTTONS_BATTERY_LOW", "20");
        gateway = InProcessGateway.start(env);
        api = new ApiClient(env.httpPort(), GatewayEnv.ADMIN_TOKEN);
        await().atMost(WAIT)
                .until(() -> "CONNECTED"
                        .equals(api.json("/health").at("/cloud/state").asText()));
        StringBuilder bindings = new StringBuilder("{\"commandId\":\"b-1\",\"bindings\":[");
        for (String id : List.of("r-bounce", "r-window", "r-cancel", "r-old", "r-battery")) {
            bindings.append("{\"deviceId\":\"")
                    .append(id)
                    .append("\",\"kind\":\"button\",\"action\":\"reorder\",\"sku\":\"SKU-")
                    .append(id)
                    .append("\",\"qty\":6},");
        }
        bindings.append("{\"deviceId\":\"call-1\",\"kind\":\"button\",\"action\":\"staff-call\",\"aisle\":\"7\"},")
                .append("{\"deviceId\":\"empty-1\",\"kind\":\"button\",\"action\":\"shelf-empty\",\"sku\":\"MILK\"}]}");
        CloudCommands.send(cloud, "bindings", bindings.toString());
        try (CoapDevice coap = new CoapDevice(env.coapPort())) {
            await().atMost(WAIT).until(() -> boundYet(coap));
        }
    }

    /** The bindings command is applied asynchronously: probe with an empty payload until the button is known. */
    private static boolean boundYet(CoapDevice coap) {
        return !coap.post("/button/empty-1/press", "{}".getBytes(UTF_8))
                .getResponseText()
                .contains("not registered");
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
    void given_a_bouncing_button_and_a_repeated_msgId_then_the_press_counts_once() throws Exception {
        Instant t = Instant.now().minusSeconds(30);
        try (MqttDevice button = new MqttDevice(env.mqttUrl())) {
            button.publish(PRESS.formatted("r-bounce"), press("bounce-1", "single", t));
            button.publish(PRESS.formatted("r-bounce"), press("bounce-2", "single", t.plusMillis(300)));
            button.publish(PRESS.formatted("r-bounce"), press("bounce-1", "single", t));
            button.publish(PRESS.formatted("r-bounce"), press("bounce-3", "single", t.plusMillis(1500)));
            // A different gesture is not a bounce of the first: the double press cancels.
            button.publish(PRESS.formatted("r-bounce"), press("bounce-4", "double", t.plusMillis(1600)));
        }
        JsonNode cancelled = awaitEvent("retail.button.pressed", "bounce-4");
        assertEquals("cancelled", cancelled.at("/data/outcome").asText());
        List<JsonNode> pressed = events("retail.button.pressed", "r-bounce");
        assertEquals(
                List.of("bounce-1", "bounce-4"),
                pressed.stream().map(e -> e.at("/data/msgId").asText()).toList(),
                "the bounces (bounce-2, bounce-3) and the repeated bounce-1 made no event");
        assertEquals("held", pressed.get(0).at("/data/outcome").asText());
        assertEquals(2.0, api.metric("gateway_button_presses_total", Map.of("outcome", "bounce")), 0.0);
    }

    @Test
    void given_a_reorder_when_its_cancel_window_closes_then_replenishment_is_requested_even_across_a_restart()
            throws Exception {
        try (MqttDevice button = new MqttDevice(env.mqttUrl())) {
            button.publish(PRESS.formatted("r-window"), "{\"msgId\":\"window-1\",\"press\":\"single\"}");
        }
        JsonNode held = awaitEvent("retail.button.pressed", "window-1");
        assertEquals("held", held.at("/data/outcome").asText());
        assertEquals("SKU-r-window", held.at("/data/sku").asText());
        String reorderId = held.at("/data/reorderId").asText();
        assertTrue(api.json("/api/v1/buttons/reorders?state=held")
                .get("reorders")
                .findValuesAsText("reorderId")
                .contains(reorderId));
        assertTrue(events("retail.replenishment.requested", "r-window").isEmpty(), "held, not yet requested");

        // The gateway stops inside the window; the deadline is in SQLite, so the new process closes it.
        gateway.close();
        gateway = InProcessGateway.start(env);

        JsonNode requested = awaitEvent("retail.replenishment.requested", "window-1");
        assertEquals("r-window", requested.get("subject").asText());
        assertEquals(reorderId, requested.at("/data/reorderId").asText());
        assertEquals("SKU-r-window", requested.at("/data/sku").asText());
        assertEquals(6, requested.at("/data/qty").asInt());
        // Through replenishment: the SKU's plan rides along (no history: the threshold basis), 6 is on order.
        assertEquals(6, requested.at("/data/orderQty").asInt());
        assertEquals("threshold", requested.at("/data/basis").asText());
        assertTrue(requested.at("/data/reorderPoint").isIntegralNumber()
                && requested.at("/data/forecastPerDay").isNumber());
        assertEquals(
                6,
                api.json("/api/v1/replenishment?sku=SKU-r-window")
                        .at("/replenishment/0/onOrder")
                        .asInt());
        Instant cancelUntil = Instant.parse(held.at("/data/cancelUntil").asText());
        assertFalse(
                Instant.parse(requested.get("time").asText()).isBefore(cancelUntil), "not before the window closed");
        assertEquals(1, events("retail.replenishment.requested", "r-window").size());
    }

    @Test
    void given_a_held_reorder_when_the_button_is_double_pressed_over_coap_then_it_is_cancelled() throws Exception {
        try (CoapDevice button = new CoapDevice(env.coapPort())) {
            assertEquals(
                    ResponseCode.CHANGED,
                    button.post(
                                    "/button/r-cancel/press",
                                    press("cancel-1", "single", Instant.now().minusSeconds(20))
                                            .getBytes(UTF_8))
                            .getCode());
            String cancelledId = awaitEvent("retail.button.pressed", "cancel-1")
                    .at("/data/reorderId")
                    .asText();
            assertEquals(
                    ResponseCode.CHANGED,
                    button.post(
                                    "/button/r-cancel/press",
                                    "{\"msgId\":\"cancel-2\",\"press\":\"double\"}".getBytes(UTF_8))
                            .getCode());
            JsonNode cancel = awaitEvent("retail.button.pressed", "cancel-2");
            assertEquals("cancelled", cancel.at("/data/outcome").asText());
            assertEquals(cancelledId, cancel.at("/data/reorderId").asText());
            // The button is free again: a new press opens a new reorder, whose window closes normally.
            assertEquals(
                    ResponseCode.CHANGED,
                    button.post(
                                    "/button/r-cancel/press",
                                    press("cancel-3", "single", Instant.now().minusSeconds(10))
                                            .getBytes(UTF_8))
                            .getCode());
            JsonNode again = awaitEvent("retail.button.pressed", "cancel-3");
            assertEquals("held", again.at("/data/outcome").asText());
            // While it is open, another press says so and opens nothing.
            assertEquals(
                    ResponseCode.CHANGED,
                    button.post("/button/r-cancel/press", "{\"msgId\":\"cancel-4\",\"press\":\"long\"}".getBytes(UTF_8))
                            .getCode());
            JsonNode open = awaitEvent("retail.button.pressed", "cancel-4");
            assertEquals("already-open", open.at("/data/outcome").asText());
            assertEquals(
                    again.at("/data/reorderId").asText(),
                    open.at("/data/reorderId").asText());
        }
        awaitEvent("retail.replenishment.requested", "cancel-3");
        // Windows close in order of their deadline: the cancelled one, due earlier, was never requested.
        List<JsonNode> requested = events("retail.replenishment.requested", "r-cancel");
        assertEquals(
                List.of("cancel-3"),
                requested.stream().map(e -> e.at("/data/msgId").asText()).toList());
        assertTrue(api.json("/api/v1/buttons/reorders?state=cancelled")
                .get("reorders")
                .findValuesAsText("msgId")
                .contains("cancel-1"));
    }

    @Test
    void given_a_press_kept_offline_too_long_then_it_waits_for_confirmation_before_ordering() throws Exception {
        try (MqttDevice button = new MqttDevice(env.mqttUrl())) {
            button.publish(
                    PRESS.formatted("r-old"),
                    press("old-1", "single", Instant.now().minus(Duration.ofHours(2))));
            JsonNode pressed = awaitEvent("retail.button.pressed", "old-1");
            assertEquals("unconfirmed", pressed.at("/data/outcome").asText());
            assertTrue(pressed.at("/data/stale").asBoolean());
            String reorderId = pressed.at("/data/reorderId").asText();
            button.publish(PRESS.formatted("r-old"), "{\"msgId\":\"old-2\",\"press\":\"single\"}");
            JsonNode again = awaitEvent("retail.button.pressed", "old-2");
            assertEquals("already-open", again.at("/data/outcome").asText());
            assertEquals("unconfirmed", again.at("/data/openReorder").asText());
            assertTrue(events("retail.replenishment.requested", "r-old").isEmpty(), "no order without confirmation");

            assertEquals(
                    403,
                    post("/api/v1/buttons/reorders/" + reorderId + "/confirm", GatewayEnv.READ_TOKEN)
                            .statusCode());
            assertEquals(
                    200,
                    post("/api/v1/buttons/reorders/" + reorderId + "/confirm", GatewayEnv.ADMIN_TOKEN)
                            .statusCode());
            JsonNode requested = awaitEvent("retail.replenishment.requested", "old-1");
            assertEquals("api", requested.at("/data/confirmedBy").asText());
            assertEquals(
                    409,
                    post("/api/v1/buttons/reorders/" + reorderId + "/confirm", GatewayEnv.ADMIN_TOKEN)
                            .statusCode(),
                    "confirmed once");

            // Confirmation on the button itself: a fresh long press.
            button.publish(
                    PRESS.formatted("r-old"),
                    press("old-3", "single", Instant.now().minus(Duration.ofHours(1))));
            assertEquals(
                    "unconfirmed",
                    awaitEvent("retail.button.pressed", "old-3")
                            .at("/data/outcome")
                            .asText());
            button.publish(PRESS.formatted("r-old"), "{\"msgId\":\"old-4\",\"press\":\"long\"}");
            assertEquals(
                    "confirmed",
                    awaitEvent("retail.button.pressed", "old-4")
                            .at("/data/outcome")
                            .asText());
            assertEquals(
                    "old-4",
                    awaitEvent("retail.replenishment.requested", "old-3")
                            .at("/data/confirmedBy")
                            .asText());
        }
    }

    @Test
    void given_an_unknown_button_then_its_press_is_refused_and_kept_as_a_dead_letter() throws Exception {
        try (CoapDevice coap = new CoapDevice(env.coapPort());
                MqttDevice mqtt = new MqttDevice(env.mqttUrl())) {
            var answer =
                    coap.post("/button/ghost-1/press", "{\"msgId\":\"ghost-1\",\"press\":\"single\"}".getBytes(UTF_8));
            assertEquals(ResponseCode.BAD_REQUEST, answer.getCode());
            assertTrue(answer.getResponseText().contains("not registered"), answer.getResponseText());
            mqtt.publish(PRESS.formatted("ghost-2"), "{\"msgId\":\"ghost-2\",\"press\":\"single\"}");
        }
        await().atMost(WAIT)
                .until(() -> api.deadLetters().stream()
                        .filter(d -> "unknown-device".equals(d.get("reason")))
                        .map(d -> d.get("deviceId"))
                        .toList()
                        .containsAll(List.of("ghost-1", "ghost-2")));
        assertTrue(
                api.events().stream().noneMatch(e -> e.get("subject").asText().startsWith("ghost-")));
    }

    @Test
    void given_staff_buttons_then_notices_reach_the_pdas_and_stay_open_until_one_acknowledges() throws Exception {
        try (MqttDevice pda1 = new MqttDevice(env.mqttUrl()).subscribe("store/s001/pda/pda-1/notify");
                MqttDevice pda2 = new MqttDevice(env.mqttUrl()).subscribe("store/s001/pda/pda-2/notify");
                MqttDevice buttons = new MqttDevice(env.mqttUrl())) {
            buttons.publish(
                    PRESS.formatted("call-1"),
                    press("call-1", "single", Instant.now().minusSeconds(10)));
            JsonNode notice = ApiClient.parse(nextOn(pda1, "staff-call").payload());
            assertEquals("open", notice.get("state").asText());
            assertEquals("call-1", notice.get("buttonId").asText());
            assertEquals("7", notice.get("aisle").asText(), "where to go, from the binding");
            String noticeId = notice.get("noticeId").asText();
            assertEquals(
                    noticeId,
                    ApiClient.parse(nextOn(pda2, "staff-call").payload())
                            .get("noticeId")
                            .asText());
            JsonNode pressed = awaitEvent("retail.button.pressed", "call-1");
            assertEquals("notified", pressed.at("/data/outcome").asText());
            assertEquals(noticeId, pressed.at("/data/noticeId").asText());

            buttons.publish(
                    PRESS.formatted("call-1"),
                    press("call-2", "single", Instant.now().minusSeconds(5)));
            assertEquals(
                    "already-open",
                    awaitEvent("retail.button.pressed", "call-2")
                            .at("/data/outcome")
                            .asText());

            // A PDA coming back (idle) gets what is still open.
            buttons.publish("store/s001/pda/pda-2/status", "{\"msgId\":\"st-1\",\"state\":\"idle\"}");
            assertEquals(
                    noticeId,
                    ApiClient.parse(nextOn(pda2, "staff-call").payload())
                            .get("noticeId")
                            .asText());

            buttons.publish("store/s001/pda/pda-1/ack", "{\"msgId\":\"ack-1\",\"noticeId\":\"" + noticeId + "\"}");
            JsonNode closed = ApiClient.parse(nextOn(pda2, "acked").payload());
            assertEquals(noticeId, closed.get("noticeId").asText());
            assertEquals("pda-1", closed.get("ackedBy").asText());
            await().atMost(WAIT)
                    .until(() -> api.json("/api/v1/notices?state=acked")
                            .get("notices")
                            .findValuesAsText("noticeId")
                            .contains(noticeId));
            assertFalse(api.json("/api/v1/notices?state=open")
                    .get("notices")
                    .findValuesAsText("noticeId")
                    .contains(noticeId));

            buttons.publish(PRESS.formatted("empty-1"), "{\"msgId\":\"empty-1\",\"press\":\"single\"}");
            JsonNode shelf = ApiClient.parse(nextOn(pda1, "shelf-empty").payload());
            assertEquals("MILK", shelf.get("sku").asText());
            JsonNode summary = api.json("/api/v1/summary").get("buttons");
            assertTrue(summary.get("openNotices").asInt() >= 1, summary.toString());
            assertTrue(summary.get("presses").asInt() >= 3, summary.toString());
            assertTrue(summary.has("openReorders") && summary.has("replenishments"), summary.toString());
        }
    }

    @Test
    void given_a_press_reporting_a_low_battery_then_the_button_is_flagged() throws Exception {
        try (MqttDevice button = new MqttDevice(env.mqttUrl())) {
            button.publish(
                    PRESS.formatted("r-battery"), "{\"msgId\":\"battery-1\",\"press\":\"double\",\"battery\":7}");
        }
        JsonNode pressed = awaitEvent("retail.button.pressed", "battery-1");
        assertEquals(7, pressed.at("/data/battery").asInt());
        assertTrue(pressed.at("/data/batteryLow").asBoolean());
        assertEquals("nothing-to-cancel", pressed.at("/data/outcome").asText());
        assertTrue(api.json("/api/v1/summary").at("/buttons/lowBattery").asInt() >= 1);
    }

    private static String press(String msgId, String press, Instant at) {
        return "{\"msgId\":\"" + msgId + "\",\"press\":\"" + press + "\",\"at\":\"" + at + "\"}";
    }

    private static MqttDevice.Received nextOn(MqttDevice pda, String containing) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            MqttDevice.Received r = pda.next(1);
            if (r != null && r.payload().contains(containing)) {
                return r;
            }
        }
        throw new AssertionError("no notice with '" + containing + "' within " + WAIT);
    }

    private JsonNode awaitEvent(String type, String msgId) {
        return await().atMost(WAIT)
                .until(() -> find(type, msgId), Optional::isPresent)
                .orElseThrow();
    }

    private Optional<JsonNode> find(String type, String msgId) {
        return api.events().stream()
                .filter(e -> type.equals(e.get("type").asText())
                        && msgId.equals(e.at("/data/msgId").asText()))
                .findFirst();
    }

    private List<JsonNode> events(String type, String subject) {
        return api.events().stream()
                .filter(e -> type.equals(e.get("type").asText())
                        && subject.equals(e.get("subject").asText()))
                .toList();
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
