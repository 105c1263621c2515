package com.retailedge.gateway.security;

import com.retailedge.gateway.app.GatewayMain;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store install never runs on trial or weak secrets: start-up and {@code --check-config} refuse them naming each
 * key, a trial config warns instead; and {@code hash-password} warns about weak iteration counts.
 */
@Timeout(60)
@Tag("slow")
class SecretChecksTest {
    private static final String GOOD_READ = "r-7f3c91d2e4b5a6c8d9e0f1a2";
    private static final String GOOD_ADMIN = "a-0b1c2d3e4f5a6b7c8d9e0f1a";

    @TempDir
    Path dir;

    @Test
    void given_a_store_install_with_the_shipped_trial_values_then_each_key_is_a_problem() throws Exception {
        GatewayConfig config = load(store(Map.of(
                "GATEWAY_API_TOKEN",
                "cloud-read-token-change-me",
                "GATEWAY_API_ADMIN_TOKEN",
                "store-admin-token-change-me",
                "GATEWAY_MEMBERS_REF_KEY",
                "local-trial-member-key-change-me-0123456789")));
        List<String> problems = SecretChecks.problems(config);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("api.token is the shipped trial value"), problems.get(0));
        assertTrue(problems.get(1).startsWith("api.admin-token is the shipped trial value"), problems.get(1));
        assertTrue(problems.get(2).startsWith("members.ref-key is the shipped trial key"), problems.get(2));
        assertTrue(SecretChecks.warnings(config).isEmpty());
        problems.forEach(p -> assertFalse(p.contains("change-me"), "never the value: " + p));
    }

    @Test
    void given_a_store_install_with_a_short_token_then_it_is_a_problem_and_24_characters_are_enough() throws Exception {
        List<String> problems = SecretChecks.problems(load(store(Map.of("GATEWAY_API_TOKEN", "x".repeat(23)))));
        assertEquals(List.of("api.token is 23 characters long: a store needs at least 24"), problems);
        assertEquals(List.of(), SecretChecks.problems(load(store(Map.of("GATEWAY_API_TOKEN", "x".repeat(24))))));
        // DTLS-only CoAP makes a store install too.
        Map<String, String> dtlsOnly = new HashMap<>(Map.of(
                "GATEWAY_COAP_PLAIN",
                "false",
                "GATEWAY_COAP_PSK_FILE",
                privateFile("devices.psk", "b-1:00112233").toString(),
                "GATEWAY_API_TOKEN",
                "short",
                "GATEWAY_API_ADMIN_TOKEN",
                GOOD_ADMIN));
        assertTrue(SecretChecks.problems(load(dtlsOnly)).get(0).startsWith("api.token is 5 characters"));
    }

    @Test
    void given_the_trial_config_then_the_same_findings_are_warnings_and_health_shows_them() throws Exception {
        GatewayConfig trial = new ConfigLoader(Map.of()).load(Path.of("../config/gateway.yaml"));
        assertTrue(SecretChecks.problems(trial).isEmpty());
        assertEquals(
                3,
                SecretChecks.warnings(trial).size(),
                SecretChecks.warnings(trial).toString());

        try (InProcessGateway gateway =
                InProcessGateway.start(new GatewayEnv(dir.resolve("trial"), "tcp://127.0.0.1:" + FreePorts.tcp())
                        .set("GATEWAY_API_TOKEN", "cloud-read-token-change-me"))) {
            var health =
                    new com.retailedge.gateway.clients.ApiClient(gateway.env().httpPort(), "none").json("/health");
            assertEquals("UP", health.get("status").asText());
            assertTrue(
                    health.get("warnings").get(0).asText().startsWith("api.token is the shipped trial value"),
                    health.toString());
        }
    }

    @Test
    void given_a_store_install_with_trial_tokens_then_start_up_and_check_config_refuse_naming_the_key()
            throws Exception {
        Path credentials = privateFile(
                "devices.passwd",
                "pda-1:" + PasswordHash.create("pw".toCharArray(), 1000).encoded());
        GatewayEnv env = new GatewayEnv(dir.resolve("store"), "tcp://127.0.0.1:" + FreePorts.tcp())
                .set("GATEWAY_MQTT_AUTH", "required")
                .set("GATEWAY_MQTT_CREDENTIALS_FILE", credentials.toString())
                .set("GATEWAY_API_ADMIN_TOKEN", "store-admin-token-change-me");
        IOException refused = assertThrows(IOException.class, () -> InProcessGateway.start(env));
        assertTrue(refused.getMessage().contains("api.admin-token is the shipped trial value"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve("store").resolve("gateway.db")), "refused before anything started");

        // --check-config on deploy/gateway.yaml with no secrets file: the trial tokens are the defaults.
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new CommandLine(new GatewayMain()).execute("--config", "../deploy/gateway.yaml", "--check-config");
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, printed);
        assertTrue(printed.contains("api.token is the shipped trial value"), printed);
        assertTrue(printed.contains("api.admin-token is the shipped trial value"), printed);
    }

    @Test
    void hash_password_warns_below_10000_iterations_and_not_at_the_default() {
        String weak = hashPassword("--iterations", "1000");
        assertTrue(weak.contains("warning: 1000 iterations is weak; a store needs at least 10000"), weak);
        assertFalse(hashPassword().contains("warning"));
        assertFalse(hashPassword("--iterations", "10000").contains("warning"));
    }

    private static String hashPassword(String... args) {
        InputStream in = System.in;
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("a password\n".getBytes(StandardCharsets.UTF_8)));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(0, new CommandLine(new HashPasswordCommand()).execute(args));
        } finally {
            System.setIn(in);
            System.setErr(err);
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private Map<String, String> store(Map<String, String> overrides) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_MQTT_AUTH", "required");
        env.put(
                "GATEWAY_MQTT_CREDENTIALS_FILE",
                privateFile("devices.passwd", "pda-1:x").toString());
        env.put("GATEWAY_API_TOKEN", GOOD_READ);
        env.put("GATEWAY_API_ADMIN_TOKEN", GOOD_ADMIN);
        env.putAll(overrides);
        return env;
    }

    private static GatewayConfig load(Map<String, String> env) {
        return new ConfigLoader(env).load(null);
    }

    private Path privateFile(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
