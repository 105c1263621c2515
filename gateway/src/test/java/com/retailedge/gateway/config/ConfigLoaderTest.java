package com.retailedge.gateway.config;

import com.retailedge.gateway.domain.DeviceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The config file and its {@code GATEWAY_*} overrides: the shipped file loads as the contract says, the
 * environment wins, and every bad value stops start-up with a message that names its key.
 */
class ConfigLoaderTest {
    /** Surefire runs in the module directory; the shipped file is beside it. */
    private static final Path SHIPPED = Path.of("..", "config", "gateway.yaml");

    @TempDir
    Path dir;

    @Test
    void given_the_shipped_file_when_loaded_then_it_has_the_contract_values() {
        assertTrue(Files.isRegularFile(SHIPPED), "shipped config at " + SHIPPED.toAbsolutePath());
        GatewayConfig c = new ConfigLoader(Map.of()).load(SHIPPED);

        assertEquals("s001", c.storeId());
        assertTrue(c.mqtt().embedded(), "an empty mqtt.url starts the embedded broker");
        assertEquals(1883, c.mqtt().port());
        assertEquals(5683, c.coap().port());
        assertEquals(8080, c.http().port());
        assertEquals("tcp://127.0.0.1:1884", c.cloud().url());
        assertEquals("gateway-s001", c.cloud().clientId(), "an empty client id is derived from the store");
        assertEquals(Path.of("data"), c.dataDir());
        assertFalse(c.api().token().isBlank());
        assertFalse(c.api().token().equals(c.api().adminToken()));
        assertEquals(Duration.ofSeconds(2), c.buttonsDebounce());
        assertEquals(Duration.ofSeconds(60), c.buttonsCancelWindow());
        assertEquals(Duration.ofMinutes(30), c.membersVisitWindow());
        assertEquals(Duration.ofDays(7), c.outbox().retention());
        assertEquals(1024L * 1024 * 1024, c.outbox().maxBytes());

        // The shipped fleet lets a store start offline; every numbered entry expands {n}.
        assertTrue(
                c.devices().stream().anyMatch(d -> d.kind() == DeviceKind.PDA && d.count() > 0),
                c.devices().toString());
        assertTrue(c.devices().stream()
                .filter(d -> d.count() > 0)
                .allMatch(d -> d.deviceId().contains("{n}")));
        assertTrue(
                c.devices().stream()
                        .filter(d -> d.kind() == DeviceKind.BUTTON)
                        .allMatch(d -> d.attributes().containsKey("action")),
                "every shipped button has an action");
    }

    @Test
    void given_no_file_then_the_defaults_are_the_shipped_values() {
        GatewayConfig defaults = new ConfigLoader(Map.of()).load(null);
        GatewayConfig shipped = new ConfigLoader(Map.of()).load(SHIPPED);
        assertEquals(shipped.storeId(), defaults.storeId());
        assertEquals(shipped.mqtt(), defaults.mqtt());
        assertEquals(shipped.coap(), defaults.coap());
        assertEquals(shipped.http(), defaults.http());
        assertEquals(shipped.cloud().url(), defaults.cloud().url());
        assertEquals(shipped.dataDir(), defaults.dataDir());
        assertEquals(List.of(), defaults.devices());
    }

    @Test
    void given_GATEWAY_CLOUD_URL_then_it_wins_over_the_file() {
        GatewayConfig c = new ConfigLoader(Map.of("GATEWAY_CLOUD_URL", " ssl://cloud.example.com:8883 ")).load(SHIPPED);
        assertEquals("ssl://cloud.example.com:8883", c.cloud().url());
    }

    @Test
    void given_overrides_of_dashed_keys_then_dots_and_dashes_become_underscores() {
        GatewayConfig c = new ConfigLoader(Map.of(
                        "GATEWAY_BUTTONS_CANCEL_WINDOW", "90s",
                        "GATEWAY_MEMBERS_VISIT_WINDOW", "45m",
                        "GATEWAY_API_ADMIN_TOKEN", "admin-x",
                        "GATEWAY_HTTP_PORT", "0"))
                .load(SHIPPED);
        assertEquals(Duration.ofSeconds(90), c.buttonsCancelWindow());
        assertEquals(Duration.ofMinutes(45), c.membersVisitWindow());
        assertEquals("admin-x", c.api().adminToken());
        assertEquals(0, c.http().port(), "0 asks for any free port");
    }

    @Test
    void given_the_operational_limits_then_each_reaches_its_section() {
        GatewayConfig c = new ConfigLoader(Map.of(
                        "GATEWAY_STORE_WRITER_QUEUE", "5000",
                        "GATEWAY_STORE_MAX_IN_FLIGHT", "70",
                        "GATEWAY_STORE_MAX_IN_FLIGHT_BYTES", "2MB",
                        "GATEWAY_MQTT_AUTH_QUEUE", "11",
                        "GATEWAY_MQTT_REPLY_QUEUE", "12",
                        "GATEWAY_COAP_MAX_QUEUED", "13"))
                .load(SHIPPED);
        assertEquals(new GatewayConfig.Store(2000, 5000, Duration.ZERO, 70, 2L * 1024 * 1024), c.store());
        assertEquals(11, c.mqtt().authQueue());
        assertEquals(12, c.mqtt().replyQueue());
        assertEquals(13, c.coap().maxQueued());
    }

    @Test
    void every_key_has_the_environment_variable_the_contract_derives() {
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            String expected = "GATEWAY_" + key.name().toUpperCase().replaceAll("[.-]", "_");
            assertEquals(expected, key.environmentVariable());
        }
        assertEquals("GATEWAY_CLOUD_URL", ConfigKey.text("cloud.url", "", "").environmentVariable());
    }

    @Test
    void given_a_misspelt_key_then_start_up_stops_naming_it() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> load("cloud:\n  urll: tcp://h:1\n"));
        assertTrue(e.getMessage().contains("'cloud.urll'"), e.getMessage());
        assertTrue(e.getMessage().contains("not a known key"), e.getMessage());

        ConfigException top = assertThrows(ConfigException.class, () -> load("stor:\n  id: s9\n"));
        assertTrue(top.getMessage().contains("'stor.id'"), top.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} is refused naming the key")
    @CsvSource(
            delimiter = '|',
            value = {
                "buttons.debounce      | 2 seconds",
                "buttons.debounce      | 2",
                "buttons.cancel-window | -60s",
                "members.visit-window  | 30min",
                "cloud.reconnect-max   | 1.5s",
                "outbox.retention      | 999999999999d",
                "http.port             | 70000",
                "http.port             | -1",
                "mqtt.port             | eighty",
                "coap.port             | 5683.0",
                "cloud.url             | mqtt://cloud.example.com:1883",
                "cloud.url             | tcp://cloud.example.com",
                "cloud.url             | cloud.example.com:1883",
                "cloud.url             | ''",
                "mqtt.url              | http://broker:1883",
                "mqtt.url              | tcp://broker:1883/path",
                "store.id              | s 001",
                "store.id              | ''",
                "data.dir              | ''",
                "api.token             | ''",
                "cloud.window          | 0",
                "store.writer-batch    | 0",
                "outbox.max-events     | 0",
                "outbox.max-bytes      | 1KB",
                "outbox.max-bytes      | lots",
                "mqtt.max-pending      | 1e3",
                "members.ref-key       | only-31-characters-long-0123456",
                "members.face-confidence | 1.5",
                "members.qr-confidence | high",
                "members.card-confidence | -0.1",
                "buttons.battery-low   | 101",
                "buttons.max-press-age | old",
            })
    void given_a_bad_value_in_the_file_then_start_up_stops_naming_the_key(String key, String value) throws IOException {
        String[] parts = key.split("\\.", 2);
        ConfigException e =
                assertThrows(ConfigException.class, () -> load(parts[0] + ":\n  " + parts[1] + ": " + value + "\n"));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}={1} is refused naming the key")
    @CsvSource(
            delimiter = '|',
            value = {
                "GATEWAY_BUTTONS_DEBOUNCE | soon    | buttons.debounce",
                "GATEWAY_HTTP_PORT        | 65536   | http.port",
                "GATEWAY_CLOUD_URL        | nowhere | cloud.url",
            })
    void given_a_bad_value_in_the_environment_then_start_up_stops_naming_the_key(
            String variable, String value, String key) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of(variable, value)).load(SHIPPED));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @Test
    void given_the_same_token_for_read_and_admin_then_start_up_stops() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> new ConfigLoader(Map.of("GATEWAY_API_TOKEN", "same", "GATEWAY_API_ADMIN_TOKEN", "same"))
                        .load(null));
        assertTrue(e.getMessage().contains("'api.admin-token'"), e.getMessage());
    }

    @Test
    void given_a_file_that_is_missing_or_not_yaml_or_not_a_mapping_then_the_message_says_so() throws IOException {
        ConfigException missing =
                assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(dir.resolve("absent.yaml")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        ConfigException broken = assertThrows(ConfigException.class, () -> load("store: [unclosed\n"));
        assertTrue(broken.getMessage().contains("not valid YAML"), broken.getMessage());

        ConfigException list = assertThrows(ConfigException.class, () -> load("- a\n- b\n"));
        assertTrue(list.getMessage().contains("mapping"), list.getMessage());

        ConfigException nested = assertThrows(ConfigException.class, () -> load("store:\n  id: [a, b]\n"));
        assertTrue(nested.getMessage().contains("'store.id'"), nested.getMessage());
    }

    @Test
    void given_an_empty_file_then_the_defaults_apply() throws IOException {
        assertEquals("s001", load("# nothing but a comment\n").storeId());
    }

    @Test
    void given_devices_in_the_file_then_extra_fields_are_binding_attributes() throws IOException {
        GatewayConfig c = load("""
                devices:
                  - { deviceId: "pda-{n}", kind: pda, count: 3 }
                  - { deviceId: "button-7", kind: button, action: reorder, sku: "A-100", qty: 6 }
                  - { deviceId: "ap-1", kind: ap, url: "coap://10.0.0.5:5683" }
                """);
        assertEquals(
                List.of(
                        new DeviceEntry("pda-{n}", DeviceKind.PDA, 3, Map.of()),
                        new DeviceEntry(
                                "button-7",
                                DeviceKind.BUTTON,
                                0,
                                Map.of("action", "reorder", "sku", "A-100", "qty", "6")),
                        new DeviceEntry("ap-1", DeviceKind.AP, 0, Map.of("url", "coap://10.0.0.5:5683"))),
                c.devices());
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "'- { deviceId: \"pda-{n}\", kind: pda }'              | {n}",
                "'- { deviceId: \"pda-1\", kind: pda, count: 5 }'      | must contain {n}",
                "'- { deviceId: \"pda-{n}\", kind: robot, count: 2 }'  | kind 'robot'",
                "'- { deviceId: \"pda-{n}\", kind: pda, count: two }'  | count 'two'",
                "'- { deviceId: \"pda-{n}\", kind: pda, count: -1 }'   | count must be",
                "'- { deviceId: \"pda 1\", kind: pda }'                | deviceId 'pda 1'",
                "'- { kind: pda }'                                     | needs deviceId and kind",
                "'- pda-1'                                             | needs deviceId and kind",
            })
    void given_a_bad_device_entry_in_the_file_then_the_message_names_the_entry(String entry, String problem)
            throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> load("devices:\n  " + entry + "\n"));
        assertTrue(e.getMessage().contains("'devices[0]'"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void given_GATEWAY_DEVICES_then_it_replaces_the_files_list() {
        GatewayConfig c = new ConfigLoader(
                        Map.of("GATEWAY_DEVICES", "pda:pda-{n}:10, button:button-7 ,label:esl-{n}:2,"))
                .load(SHIPPED);
        assertEquals(
                List.of(
                        new DeviceEntry("pda-{n}", DeviceKind.PDA, 10, Map.of()),
                        new DeviceEntry("button-7", DeviceKind.BUTTON, 0, Map.of()),
                        new DeviceEntry("esl-{n}", DeviceKind.LABEL, 2, Map.of())),
                c.devices());

        assertEquals(
                List.of(),
                new ConfigLoader(Map.of("GATEWAY_DEVICES", "")).load(SHIPPED).devices(),
                "an empty GATEWAY_DEVICES registers none");
    }

    @ParameterizedTest(name = "[{index}] GATEWAY_DEVICES={0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "pda                 | must be kind:deviceId[:count]",
                "pda:pda-1:2:3       | must be kind:deviceId[:count]",
                "robot:r-1           | kind 'robot'",
                "pda:pda-{n}         | {n}",
                "pda:pda-1:5         | must contain {n}",
                "pda:pda-{n}:many    | count 'many'",
                "pda:pda-{n}:100001  | count must be",
                "pda:pda/1           | deviceId 'pda/1'",
            })
    void given_a_bad_GATEWAY_DEVICES_then_the_message_names_it(String value, String problem) {
        ConfigException e = assertThrows(
                ConfigException.class, () -> new ConfigLoader(Map.of("GATEWAY_DEVICES", value)).load(null));
        assertTrue(e.getMessage().contains("'GATEWAY_DEVICES'"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @ParameterizedTest(name = "{0}: {1} -> {2} ms")
    @CsvSource(
            delimiter = '|',
            value = {
                "buttons.debounce      | 500ms | 500",
                "buttons.cancel-window | 2m    | 120000",
                "members.visit-window  | 24h   | 86400000",
                "outbox.retention      | 30d   | 2592000000",
            })
    void given_durations_in_the_file_then_they_are_typed_durations(String key, String text, long millis)
            throws IOException {
        String[] parts = key.split("\\.", 2);
        GatewayConfig c = load(parts[0] + ":\n  " + parts[1] + ": " + text + "\n");
        Duration actual = switch (key) {
            case "buttons.debounce" -> c.buttonsDebounce();
            case "buttons.cancel-window" -> c.buttonsCancelWindow();
            case "members.visit-window" -> c.membersVisitWindow();
            default -> c.outbox().retention();
        };
        assertEquals(Duration.ofMillis(millis), actual);
    }

    @Test
    void secrets_are_not_in_the_printed_config() {
        GatewayConfig c = new ConfigLoader(Map.of(
                        "GATEWAY_CLOUD_PASSWORD",
                        "hunter2-secret",
                        "GATEWAY_API_TOKEN",
                        "read-secret-1",
                        "GATEWAY_API_ADMIN_TOKEN",
                        "admin-secret-2"))
                .load(null);
        String printed = c.toString();
        assertFalse(printed.contains("hunter2-secret"), printed);
        assertFalse(printed.contains("read-secret-1"), printed);
        assertFalse(printed.contains("admin-secret-2"), printed);
    }

    private GatewayConfig load(String yaml) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(Map.of()).load(file);
    }
}
