package com.retailedge.gateway.security;

import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.testsupport.FreePorts;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped store configs mean what they say: deploy/gateway.yaml loads with authentication and DTLS on, and
 * deploy/mosquitto/devices.acl, with a password file of the gateway's own hashes, gives an external Mosquitto the
 * gateway's ACL.
 */
@Timeout(60)
@Tag("slow")
class DeployConfigsTest {
    private static final Path ROOT = Path.of("..");

    @TempDir
    Path dir;

    @Test
    void the_store_config_requires_device_authentication_and_encrypted_links() {
        GatewayConfig config = new ConfigLoader(Map.of()).load(ROOT.resolve("deploy/gateway.yaml"));
        assertTrue(config.mqtt().authRequired());
        assertTrue(config.coap().dtls());
        assertTrue(!config.coap().plain());
        assertTrue(config.cloud().url().startsWith("ssl://"));
        assertTrue(config.cloud().certFile() != null && config.cloud().caFile() != null);
        GatewayConfig trial = new ConfigLoader(Map.of()).load(ROOT.resolve("config/gateway.yaml"));
        assertTrue(!trial.mqtt().authRequired(), "the local trial needs no credentials");
    }

    @Test
    void mosquitto_with_the_deploy_acl_and_gateway_hashes_holds_devices_to_their_topics() throws Exception {
        Path passwd = dir.resolve("devices.passwd");
        Files.writeString(
                passwd,
                "pda-1:"
                        + PasswordHash.create("pda-1-pw".toCharArray(), PasswordHash.DEFAULT_ITERATIONS)
                                .encoded() + "\n");
        Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rw-------"));
        int devicePort = FreePorts.tcp();
        int gatewayPort = FreePorts.tcp();
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                String.join(
                        "\n",
                        "per_listener_settings true",
                        "listener " + devicePort + " 127.0.0.1",
                        "allow_anonymous false",
                        "password_file " + passwd.toAbsolutePath(),
                        "acl_file "
                                + ROOT.resolve("deploy/mosquitto/devices.acl").toAbsolutePath(),
                        "use_username_as_clientid true",
                        "listener " + gatewayPort + " 127.0.0.1",
                        "allow_anonymous true",
                        "user " + System.getProperty("user.name"),
                        ""));
        Process mosquitto = new ProcessBuilder("mosquitto", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        try {
            awaitPort(devicePort);
            awaitPort(gatewayPort);
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            MqttClient gateway = client(gatewayPort, null, null);
            gateway.subscribe("store/s001/#", 1, (topic, m) -> seen.add(topic));

            MqttException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    MqttException.class, () -> client(devicePort, "pda-1", "wrong"));
            assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refused.getReasonCode());

            MqttClient pda = client(devicePort, "pda-1", "pda-1-pw");
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            // Mosquitto grants a forbidden MQTT 3.1.1 subscription and then delivers nothing on it.
            pda.subscribe("store/s001/pda/pda-2/reply", 1, (topic, m) -> heard.add(topic));
            pda.subscribe("store/s001/pda/pda-1/reply", 1, (topic, m) -> heard.add(topic));
            publish(pda, "store/s001/pda/pda-2/scan");
            publish(pda, "store/s001/pda/pda-1/scan");
            assertEquals("store/s001/pda/pda-1/scan", seen.poll(10, TimeUnit.SECONDS));
            assertNull(seen.poll(1, TimeUnit.SECONDS), "the publish on pda-2's topic was dropped");
            publish(gateway, "store/s001/pda/pda-2/reply");
            publish(gateway, "store/s001/pda/pda-1/reply");
            assertEquals("store/s001/pda/pda-1/reply", heard.poll(10, TimeUnit.SECONDS));
            assertNull(heard.poll(1, TimeUnit.SECONDS), "pda-2's reply did not reach pda-1");
            pda.disconnect();
            pda.close();
            gateway.disconnect();
            gateway.close();
        } finally {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void publish(MqttClient client, String topic) throws MqttException {
        MqttMessage m = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        client.publish(topic, m);
    }

    private static MqttClient client(int port, String user, String password) throws MqttException {
        MqttClient client = new MqttClient(
                "tcp://127.0.0.1:" + port,
                "d-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        client.setTimeToWait(10_000);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("mosquitto did not open port " + port);
    }
}
