package com.retailedge.gateway.it;

import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayCli;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's command line, run as a separate JVM: {@code --check-config} reports what start-up would refuse
 * (missing or open files, ports in use) in a few readable lines ending in OK or the problems, with a matching
 * exit code; a port in use at start-up is one line naming its key; {@code --health-check} answers for a
 * container without wget.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag("slow")
class ConfigCheckTest {
    /** Surefire runs in the module directory; deploy/ is beside it. */
    private static final Path DEPLOY_CONFIG =
            Path.of("..", "deploy", "gateway.yaml").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void given_the_store_config_without_its_files_then_check_config_names_each_missing_file_and_fails()
            throws Exception {
        Map<String, String> env = Map.of(
                "GATEWAY_DATA_DIR",
                dir.resolve("data").toString(),
                "GATEWAY_MQTT_PORT",
                Integer.toString(FreePorts.tcp()),
                "GATEWAY_COAP_DTLS_PORT",
                Integer.toString(FreePorts.udp()),
                "GATEWAY_HTTP_PORT",
                Integer.toString(FreePorts.tcp()));
        GatewayCli.Result result = GatewayCli.run(env, dir, "--config", DEPLOY_CONFIG.toString(), "--check-config");

        assertEquals(1, result.exitCode(), result.output());
        String out = result.output();
        assertTrue(
                out.contains("problem: credentials file /etc/retail-gateway/devices.passwd (mqtt.credentials-file) "
                        + "does not exist"),
                out);
        assertTrue(
                out.contains("problem: PSK file /etc/retail-gateway/devices.psk (coap.psk-file) does not exist"), out);
        assertTrue(out.contains("cloud.ca-file"), out);
        assertTrue(out.strip().endsWith("problems: the gateway would not start"), out);
        assertFalse(
                out.contains("PT") || out.contains("Cloud[") || out.contains("GatewayConfig["),
                "a readable report, not a record dump: " + out);
    }

    @Test
    void given_private_files_and_free_ports_then_check_config_ends_in_ok_and_warns_about_a_misspelt_variable()
            throws Exception {
        Path credentials = privateFile("devices.passwd", "");
        Path psk = privateFile("devices.psk", "pda-1:00112233445566778899aabbccddeeff\n");
        Map<String, String> env = new HashMap<>(base());
        env.put("GATEWAY_MQTT_AUTH", "required");
        env.put("GATEWAY_MQTT_CREDENTIALS_FILE", credentials.toString());
        env.put("GATEWAY_COAP_PSK_FILE", psk.toString());
        env.put("GATEWAY_COAP_DTLS_PORT", Integer.toString(FreePorts.udp()));
        env.put("GATEWAY_CLOUD_HEARTBEET", "30s");
        GatewayCli.Result result = GatewayCli.run(env, dir, "--check-config");

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.output()
                        .contains("warning: environment variable GATEWAY_CLOUD_HEARTBEET sets no config key; "
                                + "did you mean GATEWAY_CLOUD_HEARTBEAT?"),
                result.output());
        assertTrue(result.output().strip().endsWith("OK"), result.output());
        assertFalse(result.output().contains(GatewayEnv.ADMIN_TOKEN), "secrets are never printed");

        Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-r--r--"));
        GatewayCli.Result open = GatewayCli.run(env, dir, "--check-config");
        assertEquals(1, open.exitCode(), open.output());
        assertTrue(open.output().contains("(coap.psk-file) is open to group or others"), open.output());
    }

    @Test
    void given_ports_in_use_then_check_config_names_their_keys() throws Exception {
        Map<String, String> env = new HashMap<>(base());
        try (ServerSocket http = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DatagramSocket coap = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            env.put("GATEWAY_HTTP_PORT", Integer.toString(http.getLocalPort()));
            env.put("GATEWAY_COAP_PORT", Integer.toString(coap.getLocalPort()));
            GatewayCli.Result result = GatewayCli.run(env, dir, "--check-config");
            assertEquals(1, result.exitCode(), result.output());
            assertTrue(
                    result.output().contains("problem: http.port " + http.getLocalPort() + " is already in use"),
                    result.output());
            assertTrue(
                    result.output().contains("problem: coap.port " + coap.getLocalPort() + " is already in use"),
                    result.output());
        }
    }

    @Test
    void given_the_coap_port_in_use_when_the_gateway_starts_then_it_says_so_in_one_line_naming_coap_port()
            throws Exception {
        Map<String, String> env = new HashMap<>(base());
        try (DatagramSocket coap = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            env.put("GATEWAY_COAP_PORT", Integer.toString(coap.getLocalPort()));
            GatewayCli.Result result = GatewayCli.run(env, dir);
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(
                    result.output()
                            .contains("gateway: start-up failed: CoAP UDP port " + coap.getLocalPort()
                                    + " is already in use (set coap.port to another port)"),
                    result.output());
            assertFalse(result.output().contains("\tat "), "no stack trace: " + result.output());
        }
    }

    @Test
    void a_bad_environment_value_names_the_variable() throws Exception {
        Map<String, String> env = new HashMap<>(base());
        env.put("GATEWAY_CLOUD_ACK_TIMEOUT", "0s");
        GatewayCli.Result result = GatewayCli.run(env, dir, "--check-config");
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(
                result.output()
                        .contains("gateway: environment variable GATEWAY_CLOUD_ACK_TIMEOUT (config key "
                                + "'cloud.ack-timeout'): 0s is outside 1s..1h"),
                result.output());
    }

    @Test
    void health_check_exits_zero_for_a_healthy_gateway_and_one_for_none() throws Exception {
        try (InProcessGateway gateway =
                InProcessGateway.start(new GatewayEnv(dir.resolve("gw"), "tcp://127.0.0.1:1"))) {
            String url = "http://127.0.0.1:" + gateway.env().httpPort() + "/health";
            assertEquals(0, GatewayCli.run(Map.of(), dir, "--health-check", url).exitCode());
        }
        GatewayCli.Result none =
                GatewayCli.run(Map.of(), dir, "--health-check", "http://127.0.0.1:" + FreePorts.tcp() + "/health");
        assertEquals(1, none.exitCode(), none.output());
        assertTrue(none.output().contains("did not answer"), none.output());
    }

    private Map<String, String> base() {
        return new GatewayEnv(dir.resolve("data"), "tcp://127.0.0.1:1").asMap();
    }

    private Path privateFile(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
