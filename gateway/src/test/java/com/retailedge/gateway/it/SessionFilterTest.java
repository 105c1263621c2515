package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.security.PasswordHash;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deliveries follow the ACL of the device holding the connection, not only its subscriptions: a session that
 * subscribed to another device's replies while {@code mqtt.auth} was off keeps that subscription in the broker's store,
 * and once logins are required the gate still hands it nothing of the other device's.
 */
@Timeout(120)
@Tag("slow")
class SessionFilterTest {
    private static final String PDA1_REPLY = "store/s001/pda/pda-1/reply";

    @TempDir
    Path dir;

    @Test
    void a_session_stored_before_logins_were_required_gets_nothing_of_another_devices() throws Exception {
        Path data = dir.resolve("gateway");
        String cloud = "tcp://127.0.0.1:" + FreePorts.tcp();
        GatewayEnv open = new GatewayEnv(data, cloud);
        try (InProcessGateway gateway = InProcessGateway.start(open)) {
            MqttClient spy = new MqttClient(open.mqttUrl(), "button-2", new MemoryPersistence());
            spy.connect(options(null, null));
            spy.subscribe(PDA1_REPLY, 1);
            spy.disconnect();
            spy.close();
        }

        Path credentials = dir.resolve("devices.passwd");
        Files.writeString(
                credentials,
                "pda-1:" + PasswordHash.create("pda-pw".toCharArray(), 1000).encoded() + "\n" + "button-2:"
                        + PasswordHash.create("button-pw".toCharArray(), 1000).encoded() + "\n");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        GatewayEnv required = new GatewayEnv(data, cloud)
                .set("GATEWAY_MQTT_AUTH", "required")
                .set("GATEWAY_MQTT_CREDENTIALS_FILE", credentials.toString());
        try (InProcessGateway gateway = InProcessGateway.start(required)) {
            BlockingQueue<String> spyHeard = new LinkedBlockingQueue<>();
            MqttClient spy = new MqttClient(required.mqttUrl(), "button-2", new MemoryPersistence());
            spy.setCallback(new CollectPayloads(spyHeard));
            IMqttToken connected = spy.connectWithResult(options("button-2", "button-pw"));
            assertTrue(connected.getSessionPresent(), "the broker kept the session and its subscription");

            BlockingQueue<String> pdaHeard = new LinkedBlockingQueue<>();
            MqttClient pda = new MqttClient(required.mqttUrl(), "pda-1", new MemoryPersistence());
            pda.setCallback(new CollectPayloads(pdaHeard));
            pda.connect(options("pda-1", "pda-pw"));
            pda.subscribe(PDA1_REPLY, 1);
            String scan = "{\"msgId\":\"f-1\",\"orderId\":\"o-1\",\"barcode\":\"4006381333931\",\"qty\":1}";
            pda.publish("store/s001/pda/pda-1/scan", scan.getBytes(StandardCharsets.UTF_8), 1, false);
            String reply = pdaHeard.poll(20, TimeUnit.SECONDS);
            assertNotNull(reply, "pda-1 hears its reply");
            assertEquals("f-1", ApiClient.parse(reply).get("msgId").asText());
            assertNull(
                    spyHeard.poll(2, TimeUnit.SECONDS), "button-2's stored subscription delivers nothing of pda-1's");
            assertTrue(spy.isConnected() && pda.isConnected());
            pda.disconnect();
            spy.disconnect();
            pda.close();
            spy.close();
        }
    }

    private static MqttConnectOptions options(String user, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setConnectionTimeout(10);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        return o;
    }
}
