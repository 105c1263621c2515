package com.retailedge.gateway.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every number and duration key has a least and a greatest value, checked at load and named when broken; no
 * value is clamped silently and no zero is taken where zero would break the gateway. An environment value that
 * is wrong is named by its variable, and a {@code GATEWAY_*} variable that sets no key is warned about.
 */
class ConfigBoundsTest {
    private static final Map<String, String> VALID = Map.of("GATEWAY_API_TOKEN", "r", "GATEWAY_API_ADMIN_TOKEN", "a");

    @Test
    void every_duration_key_declares_its_range_and_a_value_beyond_it_stops_start_up_naming_the_key() {
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            if (key.type() != ConfigKey.Type.DURATION) {
                assertTrue(
                        !isDuration(key.defaultValue()) || key.defaultValue().matches("\\d+"),
                        key.name() + " looks like a duration but is not typed as one");
                continue;
            }
            ConfigKey.Bounds<?> bounds = key.bounds();
            assertNotNull(bounds, key.name() + " has no range");
            Duration min = (Duration) bounds.min();
            Duration max = (Duration) bounds.max();
            Duration shipped = Durations.parse(key.defaultValue());
            assertTrue(
                    !shipped.minus(min).isNegative() && !max.minus(shipped).isNegative(),
                    key.name() + ": the shipped value is inside its own range");
            assertRefused(key, Durations.format(max.plusMillis(1)));
            if (!min.isZero()) {
                assertRefused(key, Durations.format(min.minusMillis(1)));
            }
        }
    }

    @Test
    void docs_configuration_lists_the_range_of_every_key_that_has_one() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "configuration.md"));
        List<String> missing = new java.util.ArrayList<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            if (key.bounds() != null) {
                String row = "| `" + key.name() + "` | " + key.bounds().text() + " |";
                if (!docs.contains(row)) {
                    missing.add(row);
                }
            }
        }
        assertEquals(List.of(), missing, "rows docs/configuration.md lacks under Ranges");
    }

    @Test
    void every_whole_number_key_refuses_a_huge_and_a_negative_value_naming_the_key() {
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            if (!key.defaultValue().matches("\\d+")) {
                continue;
            }
            assertRefused(key, "99999999999999");
            assertRefused(key, "-1");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "cloud.ack-timeout, 0s",
        "cloud.keep-alive, 0s",
        "cloud.keep-alive, 500ms",
        "cloud.heartbeat, 0s",
        "labels.retry-max, 0s",
        "labels.retry-max, 500ms",
        "cloud.reconnect-max, 0ms",
        "picking.late-check, 0s",
        "cloud.keep-alive, 65536s",
        "outbox.max-bytes, 999999999999999GB",
        "outbox.max-bytes, 1KB",
        "cloud.window, 0",
        "store.writer-batch, 0",
        "labels.max-in-flight, 0"
    })
    void a_value_that_would_break_the_gateway_or_be_clamped_is_refused(String key, String value) {
        ConfigException e = assertRefused(
                ConfigKeys.ALL.stream()
                        .filter(k -> k.name().equals(key))
                        .findFirst()
                        .orElseThrow(),
                value);
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void the_bounds_themselves_are_accepted() {
        Map<String, String> env = new HashMap<>(VALID);
        env.put("GATEWAY_CLOUD_KEEP_ALIVE", "65535s");
        env.put("GATEWAY_LABELS_RETRY_MAX", "1s");
        env.put("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
        GatewayConfig c = new ConfigLoader(env).load(null);
        assertEquals(Duration.ofSeconds(65_535), c.cloud().keepAlive());
        assertEquals(Duration.ofSeconds(1), c.labels().retryMax());
        assertEquals(Duration.ZERO, c.buttonsDebounce());
    }

    @Test
    void a_bad_environment_value_names_the_variable_and_the_key() {
        Map<String, String> env = new HashMap<>(VALID);
        env.put("GATEWAY_CLOUD_ACK_TIMEOUT", "0s");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(env).load(null));
        assertEquals(
                "environment variable GATEWAY_CLOUD_ACK_TIMEOUT (config key 'cloud.ack-timeout'): 0s is outside "
                        + "1s..1h",
                e.getMessage());
    }

    @Test
    void a_misspelt_variable_is_warned_about_with_the_closest_real_name() {
        Map<String, String> env = new HashMap<>(VALID);
        env.put("GATEWAY_CLOUD_URLL", "tcp://x:1");
        env.put("GATEWAY_BUTTON_DEBOUNCE", "1s");
        env.put("GATEWAY_SOMETHING_ELSE_ENTIRELY", "1");
        env.put("GATEWAY_DEVICES", "");
        env.put("PATH", "/bin");
        ConfigLoader loader = new ConfigLoader(env);
        loader.load(null);
        assertEquals(
                List.of(
                        "environment variable GATEWAY_BUTTON_DEBOUNCE sets no config key; did you mean GATEWAY_BUTTONS_DEBOUNCE?",
                        "environment variable GATEWAY_CLOUD_URLL sets no config key; did you mean GATEWAY_CLOUD_URL?",
                        "environment variable GATEWAY_SOMETHING_ELSE_ENTIRELY sets no config key; see docs/configuration.md"),
                loader.warnings());
    }

    private static ConfigException assertRefused(ConfigKey<?> key, String value) {
        Map<String, String> env = new HashMap<>(VALID);
        env.put(key.environmentVariable(), value);
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> new ConfigLoader(env).load(null),
                key.name() + "=" + value + " must be refused");
        assertTrue(
                e.getMessage().contains(key.environmentVariable())
                        && e.getMessage().contains("'" + key.name() + "'"),
                e.getMessage());
        return e;
    }

    private static boolean isDuration(String text) {
        try {
            Durations.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
