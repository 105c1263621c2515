package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.SmallFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code data/} on a small file system that fills up: devices are refused clearly (CoAP {@code 5.03} with Max-Age,
 * MQTT without a PUBACK), nothing acknowledged is lost, the gateway keeps running and writes again as soon as space
 * returns, and the database passes {@code PRAGMA integrity_check}.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@Tag("slow")
class DiskFullTest {
    private static final int MAX_PRESSES = 5000;

    @TempDir
    Path dir;

    @Test
    void a_full_disk_refuses_devices_loses_nothing_acknowledged_and_writing_resumes_when_space_returns()
            throws Exception {
        assumeTrue(SmallFileSystem.isRoot(), "mounting a small file system needs root");
        Set<String> acked = new HashSet<>();
        int refused = 0;
        Path data;
        try (SmallFileSystem small = SmallFileSystem.mount(dir.resolve("small"), 16)) {
            data = small.path().resolve("data");
            GatewayEnv env =
                    new GatewayEnv(data, "tcp://127.0.0.1:" + FreePorts.tcp()).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
            try (InProcessGateway gateway = InProcessGateway.start(env);
                    CoapDevice button = new CoapDevice(env.coapPort())) {
                ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
                for (int i = 0; i < 20; i++) {
                    assertEquals(
                            ResponseCode.CHANGED, press(button, "before-" + i).getCode());
                    acked.add("before-" + i);
                }
                long filler = small.fill("filler");
                System.out.println("disk-full: filler took " + filler + " bytes");

                // The WAL may still have room from before; keep pressing until the store cannot write any more.
                int n = 0;
                CoapResponse last = null;
                for (; n < MAX_PRESSES; n++) {
                    last = press(button, "full-" + n);
                    if (last.getCode() == ResponseCode.CHANGED) {
                        acked.add("full-" + n);
                    } else {
                        refused++;
                        break;
                    }
                }
                assertTrue(refused > 0, "no refusal after " + n + " presses on a full disk");
                assertEquals(ResponseCode.SERVICE_UNAVAILABLE, last.getCode(), last.getResponseText());
                assertTrue(last.getOptions().getMaxAge() > 0, "5.03 tells the device when to retry");
                for (int i = 0; i < 5; i++) {
                    CoapResponse again = press(button, "refused-" + i);
                    assertEquals(
                            ResponseCode.SERVICE_UNAVAILABLE,
                            again.getCode(),
                            "still full: " + again.getResponseText());
                    refused++;
                }
                assertFalse(mqttPublishAcknowledged(env, "mqtt-full"), "no PUBACK while the disk is full");
                assertEquals(
                        200, api.get("/health").statusCode(), "the gateway answers /health while the disk is full");
                System.out.printf(
                        "disk-full: %d presses acknowledged, then refusals (5.03 '%s')%n",
                        acked.size(), last.getResponseText());

                Files.delete(small.path().resolve("filler"));
                await("writing resumes once space returns")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> press(button, "after-0").getCode() == ResponseCode.CHANGED);
                acked.add("after-0");
                for (int i = 1; i < 20; i++) {
                    assertEquals(
                            ResponseCode.CHANGED, press(button, "after-" + i).getCode());
                    acked.add("after-" + i);
                }
                assertTrue(mqttPublishAcknowledged(env, "mqtt-after"), "MQTT is acknowledged again");
                acked.add("mqtt-after");
            }
            assertEquals("ok", integrityCheck(data));
            Set<String> stored = storedMsgIds(data);
            Set<String> lost = new HashSet<>(acked);
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, "acknowledged messages missing from the database");
            System.out.printf(
                    "disk-full summary: acknowledged=%d refused=%d lost=0 integrity_check=ok%n", acked.size(), refused);
        }
    }

    private static CoapResponse press(CoapDevice button, String msgId) {
        return button.post(
                "/button/button-1/press",
                ("{\"msgId\":\"" + msgId + "\",\"press\":\"single\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** One QoS 1 scan from a fresh connection; true when the PUBACK came within a few seconds. */
    private static boolean mqttPublishAcknowledged(GatewayEnv env, String msgId) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient client = new org.eclipse.paho.client.mqttv3.MqttClient(
                env.mqttUrl(),
                "pda-full-" + System.nanoTime(),
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        client.setTimeToWait(5000);
        try {
            client.connect();
            client.publish(
                    Payloads.scanTopic("pda-1"), Payloads.scan(msgId).getBytes(StandardCharsets.UTF_8), 1, false);
            return true;
        } catch (MqttException refused) {
            return false;
        } finally {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(500, 500);
                }
            } catch (MqttException ignored) {
                // the gateway closed it
            }
            client.close(true);
        }
    }

    private static String integrityCheck(Path data) throws Exception {
        try (Connection c = Database.open(data).openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no answer";
        }
    }

    private static Set<String> storedMsgIds(Path data) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = Database.open(data).openReadConnection();
                PreparedStatement ps = c.prepareStatement("SELECT msg_id FROM device_message");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
