package com.retailedge.gateway.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.outbox.StoredEvent;
import com.retailedge.gateway.picking.Picking;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cloud commands on a real SQLite file: each {@code commandId} is applied once, a command that cannot be
 * applied changes nothing and is kept as a dead letter and reported up as {@code retail.command.rejected}.
 */
@Timeout(30)
class CommandIntakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRICES = "retail/s001/commands/prices";
    private static final String BINDINGS = "retail/s001/commands/bindings";

    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;
    private Outbox outbox;
    private DeviceRegistry registry;
    private SimpleMeterRegistry metrics;
    private CommandIntake intake;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
            registry = DeviceRegistry.load(c);
        }
        metrics = new SimpleMeterRegistry();
        writer = new SqliteWriter(database, 100, 10_000, metrics);
        writer.start();
        intake = new CommandIntake("s001", writer, outbox, new DeadLetters(metrics), registry, Capabilities.of());
    }

    @AfterEach
    void close() {
        writer.close();
    }

    @Test
    void given_a_prices_command_then_items_and_gtins_are_stored() throws Exception {
        assertEquals(CommandIntake.Outcome.APPLIED, send(PRICES, prices("c-1", "A-100", "1.99", "4006381333931")));
        assertEquals(List.of("A-100|Sparkling water 1l|1.99|EUR"), catalog());
        assertEquals(List.of("4006381333931|A-100"), gtins());
        assertEquals(List.of(), events(), "an applied command causes no event");
    }

    @Test
    void given_the_same_commandId_again_with_other_content_then_it_is_a_duplicate_and_changes_nothing()
            throws Exception {
        assertEquals(CommandIntake.Outcome.APPLIED, send(PRICES, prices("c-1", "A-100", "1.99", "4006381333931")));
        assertEquals(CommandIntake.Outcome.DUPLICATE, send(PRICES, prices("c-1", "A-100", "1.99", "4006381333931")));
        assertEquals(CommandIntake.Outcome.DUPLICATE, send(PRICES, prices("c-1", "A-100", "2.49", "5901234123457")));
        assertEquals(List.of("A-100|Sparkling water 1l|1.99|EUR"), catalog());
        assertEquals(List.of("4006381333931|A-100"), gtins());
        assertEquals(1, count("SELECT COUNT(*) FROM applied_command WHERE command_id = 'c-1'"));

        assertEquals(
                CommandIntake.Outcome.APPLIED,
                send(PRICES, prices("c-2", "A-100", "2.49", "5901234123457")),
                "a new commandId is applied");
        assertEquals(List.of("A-100|Sparkling water 1l|2.49|EUR"), catalog());
        assertEquals(List.of("5901234123457|A-100"), gtins(), "the item's GTINs are replaced");
    }

    @Test
    void given_bindings_then_devices_are_registered_and_removed_durably() throws Exception {
        String bind = """
                {"commandId": "b-1", "bindings": [
                  {"deviceId": "pda-77", "kind": "pda"},
                  {"deviceId": "button-9", "kind": "button", "action": "reorder", "sku": "A-100", "qty": 6},
                  {"deviceId": "ap-1", "kind": "ap", "url": "coap://10.0.0.5:5683"},
                  {"deviceId": "esl-9", "kind": "label", "sku": "A-100", "ap": "ap-1"},
                  {"deviceId": "cam-2", "kind": "camera"}
                ]}""";
        assertEquals(CommandIntake.Outcome.APPLIED, send(BINDINGS, bind));
        assertTrue(registry.isRegistered("pda-77", DeviceKind.PDA));
        assertTrue(registry.isRegistered("button-9", DeviceKind.BUTTON));
        assertFalse(registry.isRegistered("button-9", DeviceKind.PDA), "registered for its own kind only");
        assertTrue(registry.isRegistered("ap-1", DeviceKind.AP));
        assertTrue(registry.isRegistered("esl-9", DeviceKind.LABEL));
        assertTrue(registry.isRegistered("cam-2", DeviceKind.CAMERA));
        assertEquals(
                Map.of("action", "reorder", "sku", "A-100", "qty", 6L),
                normalised(registry.find("button-9").orElseThrow().attributes()));
        assertEquals(
                Map.of("sku", "A-100", "ap", "ap-1"),
                registry.find("esl-9").orElseThrow().attributes());

        String rebindAndRemove = """
                {"commandId": "b-2", "bindings": [
                  {"deviceId": "pda-77", "remove": true},
                  {"deviceId": "button-9", "kind": "button", "action": "staff-call"}
                ]}""";
        assertEquals(CommandIntake.Outcome.APPLIED, send(BINDINGS, rebindAndRemove));
        assertFalse(registry.isRegistered("pda-77", DeviceKind.PDA));
        assertEquals(
                Map.of("action", "staff-call"),
                registry.find("button-9").orElseThrow().attributes());

        try (Connection c = database.openReadConnection()) {
            DeviceRegistry reloaded = DeviceRegistry.load(c);
            assertFalse(reloaded.isRegistered("pda-77", DeviceKind.PDA), "the removal is in the database");
            assertTrue(reloaded.isRegistered("esl-9", DeviceKind.LABEL));
            assertEquals(
                    Map.of("action", "staff-call"),
                    reloaded.find("button-9").orElseThrow().attributes());
            assertEquals(4, reloaded.size());
        }
    }

    @Test
    void given_a_prices_command_with_one_bad_price_then_none_of_it_is_applied_and_it_is_a_reported_dead_letter()
            throws Exception {
        String command = """
                {"commandId": "c-bad", "prices": [
                  {"sku": "A-100", "name": "Water", "price": "1.99", "currency": "EUR", "gtins": ["4006381333931"]},
                  {"sku": "B-200", "name": "Bread", "price": "abc", "currency": "EUR"}
                ]}""";
        assertEquals(CommandIntake.Outcome.REJECTED, send(PRICES, command));
        assertEquals(List.of(), catalog(), "the valid first entry was not applied either");
        assertEquals(List.of(), gtins());

        List<Map<String, Object>> dead = deadLetters();
        assertEquals(1, dead.size());
        assertEquals("cloud", dead.get(0).get("source"));
        assertEquals(PRICES, dead.get(0).get("address"));
        assertEquals("bad-command", dead.get(0).get("reason"));
        assertTrue(
                ((String) dead.get(0).get("detail")).contains("abc"),
                dead.get(0).toString());
        assertEquals(command, dead.get(0).get("payload"), "the command is kept as it came");
        assertEquals(
                1.0,
                metrics.get("gateway_deadletters")
                        .tag("source", "cloud")
                        .tag("reason", "bad-command")
                        .counter()
                        .count());

        List<JsonNode> events = events();
        assertEquals(1, events.size());
        JsonNode event = events.get(0);
        assertEquals(EventTypes.COMMAND_REJECTED, event.get("type").asText());
        assertEquals("c-bad", event.get("subject").asText());
        assertEquals("c-bad", event.get("data").get("commandId").asText());
        assertEquals("prices", event.get("data").get("kind").asText());
        assertEquals("bad-command", event.get("data").get("reason").asText());

        assertEquals(
                CommandIntake.Outcome.DUPLICATE,
                send(PRICES, command),
                "a redelivery of the rejected command is not rejected (or reported) twice");
        assertEquals(1, deadLetters().size());
        assertEquals(1, events().size());
    }

    @Test
    void given_bindings_with_one_bad_entry_then_no_device_is_registered() throws Exception {
        String command = """
                {"commandId": "b-bad", "bindings": [
                  {"deviceId": "pda-88", "kind": "pda"},
                  {"deviceId": "button-8", "kind": "button", "action": "dance"}
                ]}""";
        assertEquals(CommandIntake.Outcome.REJECTED, send(BINDINGS, command));
        assertFalse(registry.isRegistered("pda-88", DeviceKind.PDA));
        assertEquals(0, count("SELECT COUNT(*) FROM device"));
        assertEquals("bad-command", deadLetters().get(0).get("reason"));
        assertEquals(EventTypes.COMMAND_REJECTED, events().get(0).get("type").asText());
    }

    @Test
    void given_picking_wired_then_orders_are_stored_and_a_bad_order_command_changes_nothing() throws Exception {
        Picking picking = new Picking(
                new ConfigLoader(Map.of()).load(null), writer, outbox, PickLights.NONE, (topic, json) -> {});
        Capability wired = picking.capability(metrics);
        intake = new CommandIntake("s001", writer, outbox, new DeadLetters(metrics), registry, Capabilities.of(wired));
        wired.start();
        try (wired) {
            String orders = "retail/s001/commands/orders";
            assertEquals(
                    CommandIntake.Outcome.APPLIED,
                    send(
                            orders,
                            "{\"commandId\":\"o-1\",\"orders\":[{\"orderId\":\"A1\","
                                    + "\"due\":\"2026-11-23T10:00:00Z\",\"lines\":[{\"sku\":\"MILK\",\"qty\":2},"
                                    + "{\"sku\":\"CHEESE\",\"weightG\":250,\"location\":\"A-3\",\"substitutionAllowed\":true}]}]}"));
            assertEquals(1, count("SELECT COUNT(*) FROM pick_order WHERE state = 'waiting'"));
            assertEquals(2, count("SELECT COUNT(*) FROM order_line WHERE order_id = 'A1'"));
            // The second order is fine, the first has a line with both qty and weight: nothing is stored.
            assertEquals(
                    CommandIntake.Outcome.REJECTED,
                    send(
                            orders,
                            "{\"commandId\":\"o-2\",\"orders\":["
                                    + "{\"orderId\":\"B1\",\"due\":\"2026-11-23T10:00:00Z\",\"lines\":[{\"sku\":\"X\",\"qty\":1,\"weightG\":5}]},"
                                    + "{\"orderId\":\"B2\",\"due\":\"2026-11-23T10:00:00Z\",\"lines\":[{\"sku\":\"X\",\"qty\":1}]}]}"));
            assertEquals(1, count("SELECT COUNT(*) FROM pick_order"));
            assertEquals("bad-command", deadLetters().get(0).get("reason"));
            assertTrue(deadLetters().get(0).get("detail").toString().contains("orders[0].lines[0]"));
        }
    }

    @ParameterizedTest(name = "kind {0} is refused")
    @ValueSource(strings = {"coupons", "orders-v2"})
    void given_a_command_of_a_kind_not_handled_then_it_is_refused_as_unknown(String kind) throws Exception {
        String topic = "retail/s001/commands/" + kind;
        assertEquals(CommandIntake.Outcome.REJECTED, send(topic, "{\"commandId\": \"k-1\", \"" + kind + "\": []}"));
        Map<String, Object> dead = deadLetters().get(0);
        assertEquals("unknown-command", dead.get("reason"));
        assertEquals(topic, dead.get("address"));
        JsonNode event = events().get(0);
        assertEquals(EventTypes.COMMAND_REJECTED, event.get("type").asText());
        assertEquals(kind, event.get("data").get("kind").asText());
        assertEquals("k-1", event.get("data").get("commandId").asText());
    }

    @Test
    void given_a_command_that_is_not_json_then_it_is_refused_and_reported_without_a_commandId() throws Exception {
        assertEquals(CommandIntake.Outcome.REJECTED, send(PRICES, "prices: everything half off"));
        Map<String, Object> dead = deadLetters().get(0);
        assertEquals("not-json", dead.get("reason"));
        assertEquals("prices: everything half off", dead.get("payload"));
        JsonNode event = events().get(0);
        assertEquals(EventTypes.COMMAND_REJECTED, event.get("type").asText());
        assertTrue(event.get("data").get("commandId").isNull());
        assertEquals("not-json", event.get("data").get("reason").asText());
        assertEquals(0, count("SELECT COUNT(*) FROM applied_command"));
    }

    @Test
    void given_a_command_without_a_commandId_then_it_is_refused_as_missing_field() throws Exception {
        assertEquals(CommandIntake.Outcome.REJECTED, send(PRICES, "{\"prices\": []}"));
        assertEquals(CommandIntake.Outcome.REJECTED, send(PRICES, "{\"commandId\": 7, \"prices\": []}"));
        assertEquals(CommandIntake.Outcome.REJECTED, send(PRICES, "[]"));
        assertEquals(
                List.of("missing-field", "missing-field", "missing-field"),
                deadLetters().stream().map(d -> d.get("reason")).toList());
        assertEquals(3, events().size());
    }

    private CommandIntake.Outcome send(String topic, String payload) throws Exception {
        return intake.receive(topic, payload.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private static String prices(String commandId, String sku, String price, String gtin) {
        return "{\"commandId\": \"" + commandId + "\", \"prices\": [{\"sku\": \"" + sku
                + "\", \"name\": \"Sparkling water 1l\", " + "\"price\": \"" + price
                + "\", \"currency\": \"EUR\", \"gtins\": [\"" + gtin + "\"]}]}";
    }

    private static Map<String, Object> normalised(Map<String, Object> attributes) {
        Map<String, Object> copy = new java.util.HashMap<>(attributes);
        copy.replaceAll((k, v) -> v instanceof Number n ? (Object) n.longValue() : v);
        return copy;
    }

    private List<String> catalog() throws SQLException {
        return strings("SELECT sku || '|' || name || '|' || price || '|' || currency FROM catalog_item ORDER BY sku");
    }

    private List<String> gtins() throws SQLException {
        return strings("SELECT gtin || '|' || sku FROM catalog_gtin ORDER BY gtin");
    }

    private List<JsonNode> events() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        try (Connection c = database.openReadConnection()) {
            for (StoredEvent e : Outbox.readAfter(c, 0, 1000)) {
                events.add(JSON.readTree(e.body()));
            }
        }
        return events;
    }

    private List<Map<String, Object>> deadLetters() throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = database.openReadConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT source, address, reason, detail, payload FROM dead_letter ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(Map.of(
                        "source",
                        rs.getString(1),
                        "address",
                        rs.getString(2),
                        "reason",
                        rs.getString(3),
                        "detail",
                        rs.getString(4),
                        "payload",
                        new String(rs.getBytes(5), StandardCharsets.UTF_8)));
            }
        }
        return rows;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = database.openReadConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.openReadConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
