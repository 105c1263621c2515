package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.security.DtlsEndpoints;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CoAP over DTLS 1.2 with per-device PSKs and plain CoAP switched off: a Californium client built with
 * {@link DtlsEndpoints#client} and libcoap's coap-client-openssl post as themselves; a device cannot post as
 * another, a wrong key gets no answer, and the plain port is closed.
 */
@Timeout(120)
@Tag("slow")
class CoapDtlsTest {
    /** Printable keys, so coap-client's -k (a string) and the PSK file's hex are the same bytes. */
    private static final String BUTTON_1_KEY = "button-1-psk-0123456789";

    private static final String BUTTON_3_KEY = "button-3-psk-abcdefghij";

    @TempDir
    Path dir;

    @Test
    void devices_post_over_dtls_as_themselves_only_and_plain_coap_is_off() throws Exception {
        Path psk = dir.resolve("devices.psk");
        Files.writeString(
                psk, "# identity:hexkey\nbutton-1:" + hex(BUTTON_1_KEY) + "\nbutton-3:" + hex(BUTTON_3_KEY) + "\n");
        Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
        int dtlsPort = FreePorts.udp();
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp())
                .set("GATEWAY_COAP_PSK_FILE", psk.toString())
                .set("GATEWAY_COAP_DTLS_PORT", Integer.toString(dtlsPort))
                .set("GATEWAY_COAP_PLAIN", "false");
        try (InProcessGateway gateway = InProcessGateway.start(env)) {
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            String base = "coaps://127.0.0.1:" + dtlsPort;

            CoapEndpoint button1 = DtlsEndpoints.client("button-1", BUTTON_1_KEY.getBytes(StandardCharsets.US_ASCII));
            try {
                CoapResponse own = post(button1, base + "/button/button-1/press", "dtls-1", 20_000);
                assertNotNull(own, "an answer over DTLS");
                assertEquals(ResponseCode.CHANGED, own.getCode());
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> api.events().stream()
                                .anyMatch(e -> e.at("/data/msgId").asText().equals("dtls-1")
                                        && e.get("subject").asText().equals("button-1")));

                CoapResponse other = post(button1, base + "/button/button-2/press", "dtls-spoof", 20_000);
                assertNotNull(other);
                assertEquals(ResponseCode.FORBIDDEN, other.getCode());
                assertTrue(other.getResponseText().startsWith("forbidden"), other.getResponseText());
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> api.deadLetters().stream()
                                .anyMatch(d -> "forbidden".equals(d.get("reason"))
                                        && "/button/button-2/press".equals(d.get("address"))));
                assertTrue(api.events().stream()
                        .noneMatch(e -> e.at("/data/msgId").asText().equals("dtls-spoof")));
            } finally {
                button1.destroy();
            }

            CoapEndpoint wrongKey =
                    DtlsEndpoints.client("button-1", "not-the-key-of-button-1".getBytes(StandardCharsets.US_ASCII));
            try {
                assertNull(
                        post(wrongKey, base + "/button/button-1/press", "dtls-wrong", 4_000),
                        "no handshake, no answer");
            } finally {
                wrongKey.destroy();
            }

            Process libcoap = new ProcessBuilder(
                            "coap-client-openssl",
                            "-m",
                            "post",
                            "-B",
                            "20",
                            "-u",
                            "button-3",
                            "-k",
                            BUTTON_3_KEY,
                            "-e",
                            "{\"msgId\":\"libcoap-dtls-1\",\"press\":\"single\"}",
                            base + "/button/button-3/press")
                    .redirectErrorStream(true)
                    .start();
            assertTrue(libcoap.waitFor(30, TimeUnit.SECONDS));
            String output = new String(libcoap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, libcoap.exitValue(), output);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.events().stream()
                            .anyMatch(e -> e.at("/data/msgId").asText().equals("libcoap-dtls-1")));

            CoapClient plain = new CoapClient("coap://127.0.0.1:" + env.coapPort() + "/button/button-1/press");
            try {
                plain.setTimeout(3_000L);
                assertNull(
                        plain.post("{\"msgId\":\"plain-1\",\"press\":\"single\"}", MediaTypeRegistry.APPLICATION_JSON),
                        "coap.plain false: nothing answers on the plain port");
            } finally {
                plain.shutdown();
            }
        }
    }

    private static CoapResponse post(CoapEndpoint endpoint, String uri, String msgId, long timeoutMs) throws Exception {
        CoapClient client = new CoapClient(uri);
        client.setEndpoint(endpoint);
        client.setTimeout(timeoutMs);
        try {
            return client.post(
                    "{\"msgId\":\"" + msgId + "\",\"press\":\"single\"}", MediaTypeRegistry.APPLICATION_JSON);
        } catch (ConnectorException | java.io.IOException e) {
            return null;
        } finally {
            client.shutdown();
        }
    }

    private static String hex(String key) {
        return HexFormat.of().formatHex(key.getBytes(StandardCharsets.US_ASCII));
    }
}
