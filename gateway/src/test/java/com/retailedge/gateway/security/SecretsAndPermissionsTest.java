package com.retailedge.gateway.security;

import com.retailedge.gateway.app.GatewayMain;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.GatewayProcess;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
 * Secrets stay out of logs and {@code --check-config}; start-up refuses a data directory or secret file that group or
 * others can open, naming the path and the chmod that fixes it.
 */
@Timeout(120)
@Tag("slow")
class SecretsAndPermissionsTest {
    private static final String CLOUD_PASSWORD = "cloud-pw-Zq81xK";
    private static final String READ_TOKEN = "read-token-Hq27aP-0123456789";
    private static final String ADMIN_TOKEN = "admin-token-Wd93mR-0123456789";
    private static final String DEVICE_PASSWORD = "device-pw-Lp45tN";
    private static final String WRONG_PASSWORD = "wrong-pw-Vc66sB";
    private static final String PSK = "psk-secret-Yr12gJ-0123";

    @TempDir
    Path dir;

    @Test
    void start_up_refuses_a_data_dir_or_key_file_open_to_others_and_says_how_to_fix_it() throws Exception {
        Path data = Files.createDirectory(dir.resolve("open-data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        IOException refusedDir = assertThrows(
                IOException.class,
                () -> InProcessGateway.start(new GatewayEnv(data, "tcp://127.0.0.1:" + FreePorts.tcp())));
        assertTrue(refusedDir.getMessage().contains("chmod 700 " + data.toAbsolutePath()), refusedDir.getMessage());

        Path credentials = privateFile(
                "devices.passwd",
                "pda-1:" + PasswordHash.create("x".toCharArray(), 1000).encoded());
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-r--r--"));
        IOException refusedFile = assertThrows(
                IOException.class,
                () -> InProcessGateway.start(new GatewayEnv(dir.resolve("data"), "tcp://127.0.0.1:" + FreePorts.tcp())
                        .set("GATEWAY_MQTT_AUTH", "required")
                        .set("GATEWAY_MQTT_CREDENTIALS_FILE", credentials.toString())));
        assertTrue(
                refusedFile.getMessage().contains("chmod 600 " + credentials.toAbsolutePath()),
                refusedFile.getMessage());
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))),
                "the data directory the gateway made is its own");
    }

    @Test
    void check_config_prints_no_secret() throws Exception {
        Path config = Files.writeString(
                dir.resolve("gateway.yaml"),
                String.join(
                        "\n",
                        "cloud:",
                        "  url: ssl://cloud.example.com:8883",
                        "  username: gw",
                        "  password: " + CLOUD_PASSWORD,
                        "api:",
                        "  token: " + READ_TOKEN,
                        "  admin-token: " + ADMIN_TOKEN,
                        ""));
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(
                    0, new CommandLine(new GatewayMain()).execute("--config", config.toString(), "--check-config"));
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("cloud.example.com"), printed);
        for (String secret : List.of(CLOUD_PASSWORD, READ_TOKEN, ADMIN_TOKEN)) {
            assertFalse(printed.contains(secret), "--check-config shows " + secret + ": " + printed);
        }
    }

    @Test
    void no_secret_reaches_the_log_even_at_debug_level() throws Exception {
        Path credentials = privateFile(
                "devices.passwd",
                "button-1:"
                        + PasswordHash.create(DEVICE_PASSWORD.toCharArray(), 1000)
                                .encoded());
        Path psk = privateFile(
                "devices.psk", "button-2:" + HexFormat.of().formatHex(PSK.getBytes(StandardCharsets.US_ASCII)));
        int dtlsPort = FreePorts.udp();
        GatewayEnv env = new GatewayEnv(dir.resolve("data"), "tcp://127.0.0.1:" + FreePorts.tcp())
                .set("GATEWAY_CLOUD_USERNAME", "gw")
                .set("GATEWAY_CLOUD_PASSWORD", CLOUD_PASSWORD)
                .set("GATEWAY_API_TOKEN", READ_TOKEN)
                .set("GATEWAY_API_ADMIN_TOKEN", ADMIN_TOKEN)
                .set("GATEWAY_MQTT_AUTH", "required")
                .set("GATEWAY_MQTT_CREDENTIALS_FILE", credentials.toString())
                .set("GATEWAY_COAP_PSK_FILE", psk.toString())
                .set("GATEWAY_COAP_DTLS_PORT", Integer.toString(dtlsPort))
                .set("JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
        Path log = dir.resolve("gateway.log");
        try (GatewayProcess gateway = new GatewayProcess(env, log).start()) {
            assertThrows(MqttException.class, () -> connect(env, WRONG_PASSWORD));
            MqttClient ok = connect(env, DEVICE_PASSWORD);
            ok.disconnect();
            ok.close();
            CoapEndpoint endpoint = DtlsEndpoints.client("button-2", PSK.getBytes(StandardCharsets.US_ASCII));
            CoapClient client = new CoapClient("coaps://127.0.0.1:" + dtlsPort + "/button/button-2/press");
            try {
                client.setEndpoint(endpoint);
                client.setTimeout(20_000L);
                CoapResponse response =
                        client.post("{\"msgId\":\"s-1\",\"press\":\"single\"}", MediaTypeRegistry.APPLICATION_JSON);
                assertEquals(ResponseCode.CHANGED, response.getCode());
            } finally {
                client.shutdown();
                endpoint.destroy();
            }
            assertEquals(
                    401,
                    new ApiClient(env.httpPort(), "bad-token-guess")
                            .get("/api/v1/events")
                            .statusCode());
            assertEquals(
                    200,
                    new ApiClient(env.httpPort(), READ_TOKEN)
                            .get("/api/v1/events")
                            .statusCode());
            assertEquals(
                    200,
                    new ApiClient(env.httpPort(), ADMIN_TOKEN)
                            .get("/api/v1/deadletters")
                            .statusCode());
            gateway.stop();
        }
        String text = Files.readString(log);
        assertTrue(text.contains("DEBUG"), "the log ran at debug level");
        assertTrue(text.contains("refused MQTT connection"), "the refusal is logged, without the password");
        for (String secret : List.of(
                CLOUD_PASSWORD,
                READ_TOKEN,
                ADMIN_TOKEN,
                DEVICE_PASSWORD,
                WRONG_PASSWORD,
                PSK,
                HexFormat.of().formatHex(PSK.getBytes(StandardCharsets.US_ASCII)))) {
            assertFalse(text.contains(secret), "the log shows the secret " + secret);
        }
    }

    private static MqttClient connect(GatewayEnv env, String password) throws MqttException {
        MqttClient client = new MqttClient(env.mqttUrl(), "button-1", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName("button-1");
        options.setPassword(password.toCharArray());
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    private Path privateFile(String name, String line) throws IOException {
        Path file = Files.writeString(dir.resolve(name), line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
