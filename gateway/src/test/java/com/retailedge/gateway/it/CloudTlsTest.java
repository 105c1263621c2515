package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.GatewayProcess;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.gateway.testsupport.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With an {@code ssl://} cloud URL the gateway speaks TLS to the cloud broker and verifies its certificate:
 * trusting the broker's CA, events flow; trusting only the JVM's default CAs, it does not connect.
 */
@Timeout(120)
@Tag("slow")
class CloudTlsTest {
    @TempDir
    Path dir;

    @Test
    void events_reach_a_tls_cloud_broker_whose_certificate_the_gateway_verifies() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        int tlsPort = FreePorts.tcp();
        Mosquitto cloud = new Mosquitto(dir.resolve("cloud"));
        cloud.addTlsListener(tlsPort, certs.caCertificate(), certs.serverCertificate(), certs.serverKey());
        cloud.start();
        String tlsUrl = "ssl://localhost:" + tlsPort;
        try (cloud;
                CloudCollector events = CloudCollector.subscribe(cloud.url())) {
            GatewayEnv trusting = new GatewayEnv(dir.resolve("trusting"), tlsUrl)
                    .set(
                            "JAVA_TOOL_OPTIONS",
                            "-Djavax.net.ssl.trustStore=" + certs.trustStore()
                                    + " -Djavax.net.ssl.trustStorePassword=" + TestCertificates.PASSWORD
                                    + " -Djavax.net.ssl.trustStoreType=PKCS12");
            try (GatewayProcess gateway = new GatewayProcess(trusting, dir.resolve("trusting.log")).start();
                    MqttDevice button = new MqttDevice(trusting.mqttUrl())) {
                button.publish("store/s001/button/button-1/press", "{\"msgId\":\"tls-1\",\"press\":\"single\"}");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> events.msgIds().containsAll(List.of("tls-1")));
            }

            GatewayEnv untrusting = new GatewayEnv(dir.resolve("untrusting"), tlsUrl);
            try (GatewayProcess gateway = new GatewayProcess(untrusting, dir.resolve("untrusting.log")).start()) {
                ApiClient api = new ApiClient(untrusting.httpPort(), GatewayEnv.READ_TOKEN);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !api.json("/health")
                                .at("/cloud/lastError")
                                .asText()
                                .isEmpty());
                JsonNode cloudState = api.json("/health").at("/cloud");
                assertTrue(!"CONNECTED".equals(cloudState.path("state").asText()), cloudState.toString());
                assertTrue(
                        cloudState.path("lastError").asText().contains("SSLHandshakeException"),
                        "refused for its certificate, not for the network: " + cloudState);
            }
        }
    }
}
