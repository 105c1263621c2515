package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.GatewayProcess;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import com.retailedge.gateway.testsupport.SmallFileSystem;
import com.retailedge.gateway.testsupport.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Commands the cloud publishes are not lost when the gateway is away: the command subscription is a persistent
 * session, and a command is acknowledged to the broker only once applied and committed. Commands published while
 * the gateway process is stopped, delivered while it is killed, and whose acknowledgement a cut link swallowed, are
 * all applied exactly once when it is back.
 */
@Timeout(180)
@Tag("slow")
class CommandsSurviveTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void commands_published_while_the_gateway_process_is_stopped_are_applied_when_it_starts_again() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"))) {
            GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), cloud.url());
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            try (GatewayProcess gateway = new GatewayProcess(env, dir.resolve("gateway.log"))) {
                gateway.start();
                awaitCommandLink(api);
                gateway.stop();

                CloudCommands.send(
                        cloud,
                        "bindings",
                        "{\"commandId\":\"away-1\",\"bindings\":[{\"deviceId\":\"button-99\","
                                + "\"kind\":\"button\",\"action\":\"reorder\",\"sku\":\"MILK-1\",\"qty\":6}]}");
                CloudCommands.send(
                        cloud,
                        "prices",
                        "{\"commandId\":\"away-2\",\"prices\":[{\"sku\":\"MILK-1\","
                                + "\"name\":\"Milk 1l\",\"price\":\"1.19\",\"currency\":\"EUR\",\"gtins\":[\"4006381333931\"]}]}");

                gateway.start();
                await("both commands applied after the start")
                        .atMost(WAIT)
                        .until(() -> outcomes(env.dataDir()).size() == 2);
                assertEquals(Map.of("away-1", "applied", "away-2", "applied"), outcomes(env.dataDir()));
                // counted just after the commit that the database already shows
                await("each applied once by this run").atMost(WAIT).until(() -> commands(api, "applied") == 2.0);
                assertEquals("1.19", scalar(env.dataDir(), "SELECT price FROM catalog_item WHERE sku = 'MILK-1'"));
                try (CoapDevice button = new CoapDevice(env.coapPort())) {
                    assertEquals(
                            ResponseCode.CHANGED,
                            button.post(
                                            "/button/button-99/press",
                                            "{\"msgId\":\"p-1\",\"press\":\"single\"}".getBytes(UTF_8))
                                    .getCode(),
                            "the button the cloud bound while the gateway was stopped");
                }

                // kill -9 while a burst of commands is being delivered and applied: after the restart every one
                // of them is applied, once
                MqttClient backend = new MqttClient(cloud.url(), "backend-burst", new MemoryPersistence());
                backend.connect(CloudCommands.backendOptions());
                try {
                    for (int i = 1; i <= 40; i++) {
                        CloudCommands.send(
                                backend, "bindings", binding("burst-" + i, "button-" + (200 + i), "reorder"));
                        if (i == 10) {
                            await("the burst is being applied")
                                    .atMost(WAIT)
                                    .until(() -> outcomes(env.dataDir()).keySet().stream()
                                            .anyMatch(id -> id.startsWith("burst-")));
                            gateway.kill();
                        }
                    }
                } finally {
                    backend.disconnect();
                    backend.close();
                }
                gateway.start();
                await("every command of the burst applied after the kill")
                        .atMost(WAIT)
                        .until(() -> outcomes(env.dataDir()).size() == 42);
                assertTrue(outcomes(env.dataDir()).values().stream().allMatch("applied"::equals));
                gateway.stop();
            }
        }
    }

    @Test
    void commands_cut_off_mid_delivery_are_applied_exactly_once_after_the_link_returns() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                TcpProxy link = new TcpProxy(cloud.port());
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), link.url()))) {
            GatewayEnv env = gateway.env();
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            awaitCommandLink(api);
            MqttClient backend = new MqttClient(cloud.url(), "backend", new MemoryPersistence());
            backend.connect(CloudCommands.backendOptions());
            try {
                // Applied and committed, but the PUBACKs never reach the broker: it must deliver them all again.
                link.dropClientPubacks();
                for (int i = 1; i <= 20; i++) {
                    CloudCommands.send(backend, "bindings", binding("cut-" + i, "button-" + (100 + i), "reorder"));
                }
                await("the first twenty applied")
                        .atMost(WAIT)
                        .until(() -> outcomes(env.dataDir()).size() == 20);
                link.cut();
                await("the command link sees the cut")
                        .atMost(WAIT)
                        .until(() -> metric(api, "gateway_cloud_commands_connected") == 0);
                // published while cut off: the broker keeps them in the session; one re-binds a device bound above
                for (int i = 21; i <= 30; i++) {
                    CloudCommands.send(backend, "bindings", binding("cut-" + i, "button-" + (100 + i), "reorder"));
                }
                CloudCommands.send(backend, "bindings", binding("cut-31", "button-101", "shelf-empty"));
                link.restore();

                await("all thirty-one applied")
                        .atMost(WAIT)
                        .until(() -> outcomes(env.dataDir()).size() == 31);
                await("the twenty unacknowledged ones came back, as duplicates")
                        .atMost(WAIT)
                        .until(() -> commands(api, "duplicate") >= 20);
            } finally {
                backend.disconnect();
                backend.close();
            }
            await("counted just after the commit").atMost(WAIT).until(() -> commands(api, "applied") >= 31.0);
            assertEquals(31.0, commands(api, "applied"), "each command applied exactly once");
            assertEquals(0.0, commands(api, "rejected"));
            assertTrue(outcomes(env.dataDir()).values().stream().allMatch("applied"::equals));
            assertEquals(
                    "{\"action\":\"shelf-empty\"}",
                    scalar(env.dataDir(), "SELECT attributes FROM device WHERE device_id = 'button-101'"),
                    "the redelivered older binding did not overwrite the newer one");
            try (CoapDevice button = new CoapDevice(env.coapPort())) {
                for (int i = 1; i <= 30; i++) {
                    assertEquals(
                            ResponseCode.CHANGED,
                            button.post(
                                            "/button/button-" + (100 + i) + "/press",
                                            ("{\"msgId\":\"p-" + i + "\",\"press\":\"single\"}").getBytes(UTF_8))
                                    .getCode());
                }
            }
        }
    }

    @Test
    void a_command_the_store_cannot_take_on_a_full_disk_is_applied_once_space_returns() throws Exception {
        assumeTrue(SmallFileSystem.isRoot(), "mounting a small file system needs root");
        try (SmallFileSystem small = SmallFileSystem.mount(dir.resolve("small"), 16);
                Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"))) {
            GatewayEnv env =
                    new GatewayEnv(small.path().resolve("data"), cloud.url()).set("GATEWAY_BUTTONS_DEBOUNCE", "0ms");
            try (InProcessGateway gateway = InProcessGateway.start(env);
                    CoapDevice button = new CoapDevice(env.coapPort())) {
                ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
                awaitCommandLink(api);
                small.fill("filler");
                int n = 0;
                while (button.post(
                                        "/button/button-1/press",
                                        ("{\"msgId\":\"fill-" + n + "\",\"press\":\"single\"}").getBytes(UTF_8))
                                .getCode()
                        == ResponseCode.CHANGED) {
                    assertTrue(++n < 5000, "the store never filled up");
                }
                CloudCommands.send(cloud, "bindings", binding("full-1", "button-77", "reorder"));
                await("the store refused the command").atMost(WAIT).until(() -> commands(api, "refused") >= 1);

                Files.delete(small.path().resolve("filler"));
                Files.deleteIfExists(small.path().resolve("filler-tail"));
                await("the command applied once space returned")
                        .atMost(WAIT)
                        .until(() -> "applied".equals(outcomes(env.dataDir()).get("full-1")));
                await().atMost(WAIT).until(() -> commands(api, "applied") == 1);
                System.out.printf(
                        "commands-survive: refused %.0f times on the full disk, then applied once%n",
                        commands(api, "refused"));
            }
        }
    }

    private static String binding(String commandId, String deviceId, String action) {
        String extra = action.equals("reorder") ? ",\"sku\":\"MILK-1\",\"qty\":6" : "";
        return "{\"commandId\":\"" + commandId + "\",\"bindings\":[{\"deviceId\":\"" + deviceId
                + "\",\"kind\":\"button\",\"action\":\"" + action + "\"" + extra + "}]}";
    }

    static void awaitCommandLink(ApiClient api) {
        await("the command link is up").atMost(WAIT).until(() -> metric(api, "gateway_cloud_commands_connected") == 1);
    }

    private static double metric(ApiClient api, String name) {
        return api.metric(name, Map.of());
    }

    private static double commands(ApiClient api, String outcome) {
        return api.metric("gateway_cloud_commands_total", Map.of("outcome", outcome));
    }

    /** commandId to outcome, as the gateway recorded them in its database. */
    static Map<String, String> outcomes(Path dataDir) throws Exception {
        Map<String, String> outcomes = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("gateway.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA query_only=ON");
            try (ResultSet rs = s.executeQuery("SELECT command_id, outcome FROM applied_command")) {
                while (rs.next()) {
                    outcomes.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return outcomes;
    }

    static String scalar(Path dataDir, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("gateway.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            try (ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
