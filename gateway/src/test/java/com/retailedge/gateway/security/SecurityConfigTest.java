package com.retailedge.gateway.security;

import com.retailedge.gateway.config.ConfigException;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The security keys are validated at load, with messages that name the key. */
class SecurityConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults_leave_auth_off_plain_coap_on_and_no_dtls() {
        GatewayConfig config = load(Map.of());
        assertFalse(config.mqtt().authRequired());
        assertTrue(config.coap().plain());
        assertFalse(config.coap().dtls());
        assertEquals(5684, config.coap().dtlsPort());
    }

    @Test
    void bad_combinations_are_refused_naming_the_key() {
        assertKeyRefused("mqtt.auth", Map.of("GATEWAY_MQTT_AUTH", "maybe"));
        assertKeyRefused("mqtt.credentials-file", Map.of("GATEWAY_MQTT_AUTH", "required"));
        assertKeyRefused("coap.plain", Map.of("GATEWAY_COAP_PLAIN", "false"));
        assertKeyRefused("coap.plain", Map.of("GATEWAY_COAP_PLAIN", "yes"));
        assertKeyRefused(
                "cloud.key-file", Map.of("GATEWAY_CLOUD_URL", "ssl://h:8883", "GATEWAY_CLOUD_CERT_FILE", "c.pem"));
        assertKeyRefused(
                "cloud.cert-file", Map.of("GATEWAY_CLOUD_CERT_FILE", "c.pem", "GATEWAY_CLOUD_KEY_FILE", "k.pem"));
    }

    @Test
    void an_unquoted_yaml_off_means_off() throws Exception {
        Path file = Files.writeString(dir.resolve("g.yaml"), "mqtt:\n  auth: off\n");
        assertFalse(new ConfigLoader(Map.of()).load(file).mqtt().authRequired());
        Path required = Files.writeString(dir.resolve("r.yaml"), "mqtt:\n  auth: required\n  credentials-file: /x\n");
        assertTrue(new ConfigLoader(Map.of()).load(required).mqtt().authRequired());
    }

    @Test
    void a_yaml_error_says_where_without_echoing_the_line_that_may_hold_a_secret() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "cloud:\n  password: \"pw-Tr55qX\n  url: tcp://x:1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(file));
        assertFalse(e.getMessage().contains("pw-Tr55qX"), e.getMessage());
        assertTrue(e.getMessage().contains("line"), e.getMessage());
        Path other = Files.writeString(dir.resolve("bad2.yaml"), "api:\n  token: tok-Hh81: x\n");
        ConfigException e2 = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(other));
        assertFalse(e2.getMessage().contains("tok-Hh81"), e2.getMessage());
    }

    private static void assertKeyRefused(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    private static GatewayConfig load(Map<String, String> env) {
        return new ConfigLoader(env).load(null);
    }
}
