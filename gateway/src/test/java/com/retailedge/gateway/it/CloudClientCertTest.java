package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.gateway.testsupport.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cloud broker that requires client certificates (Mosquitto, {@code require_certificate true}, a CA made in the
 * test): with {@code cloud.ca-file}, {@code cloud.cert-file} and {@code cloud.key-file} events flow; with the CA
 * alone the broker refuses the gateway.
 */
@Timeout(120)
@Tag("slow")
class CloudClientCertTest {
    @TempDir
    Path dir;

    @Test
    void events_reach_a_broker_that_requires_the_gateways_client_certificate_and_not_without_it() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs")).issueClientCertificate();
        int tlsPort = FreePorts.tcp();
        Mosquitto cloud = new Mosquitto(dir.resolve("cloud"));
        cloud.addTlsListener(tlsPort, certs.caCertificate(), certs.serverCertificate(), certs.serverKey(), true);
        cloud.start();
        String tlsUrl = "ssl://localhost:" + tlsPort;
        try (cloud;
                CloudCollector events = CloudCollector.subscribe(cloud.url())) {
            GatewayEnv withCertificate = new GatewayEnv(dir.resolve("with"), tlsUrl)
                    .set("GATEWAY_CLOUD_CA_FILE", certs.caCertificate().toString())
                    .set("GATEWAY_CLOUD_CERT_FILE", certs.clientCertificate().toString())
                    .set("GATEWAY_CLOUD_KEY_FILE", certs.clientKey().toString());
            try (InProcessGateway gateway = InProcessGateway.start(withCertificate);
                    MqttDevice button = new MqttDevice(withCertificate.mqttUrl())) {
                button.publish("store/s001/button/button-1/press", "{\"msgId\":\"mtls-1\",\"press\":\"single\"}");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> events.msgIds().contains("mtls-1"));
            }

            GatewayEnv caOnly = new GatewayEnv(dir.resolve("without"), tlsUrl)
                    .set("GATEWAY_CLOUD_CA_FILE", certs.caCertificate().toString());
            try (InProcessGateway gateway = InProcessGateway.start(caOnly);
                    MqttDevice button = new MqttDevice(caOnly.mqttUrl())) {
                button.publish("store/s001/button/button-2/press", "{\"msgId\":\"mtls-2\",\"press\":\"single\"}");
                ApiClient api = new ApiClient(caOnly.httpPort(), GatewayEnv.READ_TOKEN);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !api.json("/health")
                                .at("/cloud/lastError")
                                .asText()
                                .isEmpty());
                JsonNode state = api.json("/health").at("/cloud");
                assertNotEquals("CONNECTED", state.path("state").asText(), state.toString());
                assertTrue(!events.msgIds().contains("mtls-2"), "nothing reached the broker without the certificate");
            }
        }
    }
}
