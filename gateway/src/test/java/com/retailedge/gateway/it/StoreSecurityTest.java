package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.security.PasswordHash;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.GatewayProcess;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store install (device logins required) seen from the shop network and the box itself: a device cannot take
 * another device's session by sending its client id, and no TCP port of the gateway process lets an anonymous client
 * in. A real gateway process, Paho and mosquitto_sub, a real Mosquitto as the cloud.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class StoreSecurityTest {
    private static final String NOTIFY = "store/s001/pda/pda-1/notify";
    private static final Map<String, String> PASSWORDS =
            Map.of("pda-1", "pda-1-password", "button-1", "button-1-password", "button-2", "button-2-password");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Mosquitto cloud;
    private GatewayProcess gateway;
    private GatewayEnv env;
    private ApiClient api;
    private Path log;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path credentials = dir.resolve("devices.passwd");
        StringBuilder lines = new StringBuilder();
        PASSWORDS.forEach((id, pw) -> lines.append(id)
                .append(':')
                .append(PasswordHash.create(pw.toCharArray(), 1000).encoded())
                .append('\n'));
        Files.writeString(credentials, lines);
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        cloud = Mosquitto.start(dir.resolve("cloud"));
        env = new GatewayEnv(dir.resolve("gateway"), cloud.url())
                .set("GATEWAY_MQTT_AUTH", "required")
                .set("GATEWAY_MQTT_CREDENTIALS_FILE", credentials.toString());
        log = dir.resolve("gateway.log");
        gateway = new GatewayProcess(env, log).start();
        api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
        await().atMost(WAIT)
                .until(() -> "CONNECTED"
                        .equals(api.json("/health").at("/cloud/state").asText()));
        // button-1 calls staff: each press sends a notice to every PDA that is not off.
        CloudCommands.send(
                cloud,
                "bindings",
                "{\"commandId\":\"sec-b-1\",\"bindings\":[{\"deviceId\":\"button-1\","
                        + "\"kind\":\"button\",\"action\":\"staff-call\",\"aisle\":\"3\"}]}");
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void a_device_with_its_own_password_and_another_devices_client_id_is_refused_and_hears_nothing() throws Exception {
        double refused = api.metric("gateway_mqtt_session_refused_total", Map.of("reason", "client-id"));
        BlockingQueue<String> pdaHeard = new LinkedBlockingQueue<>();
        MqttClient pda = new MqttClient(env.mqttUrl(), "pda-1", new MemoryPersistence());
        pda.connect(options("pda-1", false));
        pda.subscribe(NOTIFY, 1, (topic, m) -> pdaHeard.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        try {
            acknowledge(pda, awaitNotice(pdaHeard));

            // Paho: CONNACK 2, identifier rejected, and no session present.
            BlockingQueue<String> thiefHeard = new LinkedBlockingQueue<>();
            MqttClient thief = new MqttClient(env.mqttUrl(), "pda-1", new MemoryPersistence());
            thief.setCallback(new Listener(thiefHeard));
            MqttException e = assertThrows(MqttException.class, () -> thief.connect(options("button-2", false)));
            assertEquals(MqttException.REASON_CODE_INVALID_CLIENT_ID, e.getReasonCode(), e.toString());
            thief.close(true);
            // mosquitto_sub the same way, persistent session and a wildcard: refused before any SUBSCRIBE.
            Result sub = run(
                    "mosquitto_sub",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(env.mqttPort()),
                    "-V",
                    "mqttv311",
                    "-i",
                    "pda-1",
                    "-u",
                    "button-2",
                    "-P",
                    PASSWORDS.get("button-2"),
                    "--disable-clean-session",
                    "-q",
                    "1",
                    "-t",
                    NOTIFY,
                    "-C",
                    "1",
                    "-W",
                    "10");
            assertNotEquals(0, sub.code, sub.output);
            assertTrue(sub.output.toLowerCase().contains("identifier rejected"), sub.output);

            assertTrue(pda.isConnected(), "pda-1 was not kicked off");
            String notice = awaitNotice(pdaHeard);
            assertTrue(notice.contains("staff-call"), notice);
            acknowledge(pda, notice);
            assertNull(thiefHeard.poll(1, TimeUnit.SECONDS), "the refused client heard nothing");
            await().atMost(WAIT)
                    .until(() -> api.metric("gateway_mqtt_session_refused_total", Map.of("reason", "client-id"))
                            >= refused + 2);

            // Its queue too: while pda-1 is away a notice waits in its session; the thief's try does not take it.
            pda.disconnect();
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(2500))
                    .until(() -> "notified".equals(awaitPressOutcome(pressButton())));
            MqttClient again = new MqttClient(env.mqttUrl(), "pda-1", new MemoryPersistence());
            assertThrows(MqttException.class, () -> again.connect(options("button-2", false)));
            again.close(true);
            pdaHeard.clear();
            pda.connect(options("pda-1", false));
            assertNotNull(pdaHeard.poll(20, TimeUnit.SECONDS), "pda-1 gets the notice queued while it was away");
        } finally {
            if (pda.isConnected()) {
                pda.disconnect();
            }
            pda.close(true);
        }
    }

    @Test
    void no_tcp_port_of_the_gateway_process_takes_an_anonymous_client() throws Exception {
        Set<Integer> ports = listeningTcpPorts(gateway.pid());
        assertTrue(
                ports.contains(env.mqttPort()) && ports.contains(env.httpPort()), "found the gateway's ports " + ports);
        assertTrue(ports.size() >= 3, "the embedded broker's loopback port is among " + ports);
        for (int port : ports) {
            MqttClient anonymous = new MqttClient(
                    "tcp://127.0.0.1:" + port,
                    "anon-" + UUID.randomUUID().toString().substring(0, 8),
                    new MemoryPersistence());
            try {
                assertThrows(
                        MqttException.class,
                        () -> anonymous.connect(options(null, true)),
                        "an anonymous MQTT client got into port " + port);
            } finally {
                anonymous.close(true);
            }
            Result sub = run(
                    "mosquitto_sub",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "-V",
                    "mqttv311",
                    "-t",
                    "#",
                    "-C",
                    "1",
                    "-W",
                    "5");
            assertNotEquals(0, sub.code, "port " + port + ": " + sub.output);
        }
        // Nor does the gateway's own user name with a guessed password get into the broker's port.
        for (int port : ports) {
            if (port != env.mqttPort() && port != env.httpPort()) {
                Result guess = run(
                        "mosquitto_sub",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-V",
                        "mqttv311",
                        "-u",
                        "gateway:internal",
                        "-P",
                        "guess",
                        "-t",
                        "#",
                        "-C",
                        "1",
                        "-W",
                        "5");
                assertNotEquals(0, guess.code, "port " + port + ": " + guess.output);
            }
        }
        String text = Files.readString(log);
        for (int port : ports) {
            if (port != env.mqttPort() && port != env.httpPort()) {
                assertTrue(
                        !text.contains(" " + port + "\n") && !text.contains(":" + port),
                        "port " + port + " is in the log at INFO");
            }
        }
    }

    private String pressButton() throws Exception {
        String msgId = "sec-" + UUID.randomUUID();
        Result pub = run(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(env.mqttPort()),
                "-V",
                "mqttv311",
                "-i",
                "button-1",
                "-u",
                "button-1",
                "-P",
                PASSWORDS.get("button-1"),
                "-q",
                "1",
                "-t",
                "store/s001/button/button-1/press",
                "-m",
                "{\"msgId\":\"" + msgId + "\",\"press\":\"single\"}");
        assertEquals(0, pub.code, pub.output);
        return msgId;
    }

    private String awaitPressOutcome(String msgId) {
        String[] outcome = new String[1];
        await().atMost(WAIT)
                .until(() -> api.events().stream()
                        .filter(e -> msgId.equals(e.at("/data/msgId").asText()))
                        .findFirst()
                        .map(e -> outcome[0] = e.at("/data/outcome").asText())
                        .isPresent());
        return outcome[0];
    }

    /** pda-1 takes the notice: it closes, so the button's next press opens a new one. */
    private static void acknowledge(MqttClient pda, String notice) throws Exception {
        String noticeId = ApiClient.parse(notice).get("noticeId").asText();
        pda.publish(
                "store/s001/pda/pda-1/ack",
                ("{\"msgId\":\"ack-" + UUID.randomUUID() + "\",\"noticeId\":\"" + noticeId + "\"}")
                        .getBytes(StandardCharsets.UTF_8),
                1,
                false);
    }

    /**
     * Presses until an open notice arrives: the binding may still be on its way, presses within 2 s count once, and
     * the close of the last notice may still be on its way.
     */
    private String awaitNotice(BlockingQueue<String> heard) {
        String[] got = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(2500)).until(() -> {
            pressButton();
            for (String m = heard.poll(2, TimeUnit.SECONDS); m != null; m = heard.poll(200, TimeUnit.MILLISECONDS)) {
                if (m.contains("\"state\":\"open\"")) {
                    got[0] = m;
                    return true;
                }
            }
            return false;
        });
        return got[0];
    }

    private static MqttConnectOptions options(String device, boolean clean) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setConnectionTimeout(10);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (device != null) {
            o.setUserName(device);
            o.setPassword(PASSWORDS.get(device).toCharArray());
        }
        return o;
    }

    /** The TCP ports process {@code pid} listens on: its socket inodes matched against /proc/net/tcp{,6}. */
    static Set<Integer> listeningTcpPorts(long pid) throws IOException {
        Set<String> inodes = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the fd went away while listing
                }
            }
        }
        Set<Integer> ports = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line :
                    Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] f = line.trim().split("\\s+");
                // f[1] local address:port (hex), f[3] state (0A = LISTEN), f[9] inode
                if (f.length > 9 && "0A".equals(f[3]) && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private record Result(int code, String output) {}

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record Listener(BlockingQueue<String> heard) implements org.eclipse.paho.client.mqttv3.MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            heard.add(topic);
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
    }
}
