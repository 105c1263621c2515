package com.retailedge.gateway.cloud;

import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bindings} keeps labels and access points sound, on a real SQLite file: an access point's url has a real port
 * and one host, a label names a registered access point, and an access point with labels cannot just be removed.
 * Each refusal is a dead letter whose detail says why.
 */
@Timeout(30)
class BindingsValidationTest {
    private static final String BINDINGS = "retail/s001/commands/bindings";

    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;
    private DeviceRegistry registry;
    private CommandIntake intake;
    private int commands;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        Outbox outbox;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
            registry = DeviceRegistry.load(c);
        }
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        writer = new SqliteWriter(database, 100, 10_000, metrics);
        writer.start();
        intake = new CommandIntake("s001", writer, outbox, new DeadLetters(metrics), registry, Capabilities.of());
    }

    @AfterEach
    void close() {
        writer.close();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "coap://10.0.0.5:0       | port 0 must be 1..65535",
                "coap://10.0.0.5:99999   | port 99999 must be 1..65535",
                "coap://10.0.0.5         | must be coap://host:port",
                "coap://255.255.255.255:5683 | broadcast",
                "coap://0.0.0.0:5683     | unspecified",
                "coap://224.0.1.187:5683 | multicast",
                "coaps://239.1.2.3:5684  | multicast",
                "coap://10.0.0.300:5683  | not an IPv4 address",
            })
    void given_an_access_point_url_that_is_not_one_device_then_the_binding_is_refused(String url, String why)
            throws Exception {
        assertEquals(
                CommandIntake.Outcome.REJECTED,
                send("[{\"deviceId\":\"ap-1\",\"kind\":\"ap\",\"url\":\"" + url + "\"}]"));
        assertTrue(lastDetail().contains(why), lastDetail());
        assertTrue(registry.find("ap-1").isEmpty());
    }

    @Test
    void given_a_good_access_point_url_then_it_is_bound() throws Exception {
        assertEquals(
                CommandIntake.Outcome.APPLIED,
                send("[" + ap("ap-1", "coap://10.0.0.5:65535") + "," + ap("ap-2", "coaps://ap-2.local:1") + "]"));
        assertTrue(registry.isRegistered("ap-1", DeviceKind.AP) && registry.isRegistered("ap-2", DeviceKind.AP));
    }

    @Test
    void given_a_label_on_an_access_point_that_is_not_registered_then_it_is_refused() throws Exception {
        assertEquals(
                CommandIntake.Outcome.REJECTED,
                send("[{\"deviceId\":\"esl-1\",\"kind\":\"label\",\"sku\":\"A\"," + "\"ap\":\"ap-9\"}]"));
        assertTrue(lastDetail().contains("ap 'ap-9' is not a registered access point"), lastDetail());
        // Bound in the same command, or before: taken.
        assertEquals(
                CommandIntake.Outcome.APPLIED,
                send("[" + ap("ap-9", "coap://10.0.0.9:5683") + ","
                        + "{\"deviceId\":\"esl-1\",\"kind\":\"label\",\"sku\":\"A\",\"ap\":\"ap-9\"}]"));
        assertEquals(CommandIntake.Outcome.APPLIED, send("[" + label("esl-2", "ap-9") + "]"));
        // A device of another kind is no access point.
        assertEquals(
                CommandIntake.Outcome.REJECTED,
                send("[{\"deviceId\":\"pda-1\",\"kind\":\"pda\"},"
                        + "{\"deviceId\":\"esl-3\",\"kind\":\"label\",\"sku\":\"A\",\"ap\":\"pda-1\"}]"));
    }

    @Test
    void given_an_access_point_with_labels_then_removing_it_is_refused_naming_them() throws Exception {
        assertEquals(
                CommandIntake.Outcome.APPLIED,
                send("[" + ap("ap-1", "coap://10.0.0.1:5683") + ","
                        + ap("ap-2", "coap://10.0.0.2:5683") + ","
                        + "{\"deviceId\":\"esl-1\",\"kind\":\"label\",\"sku\":\"A\",\"ap\":\"ap-1\"},"
                        + "{\"deviceId\":\"esl-2\",\"kind\":\"label\",\"sku\":\"A\",\"ap\":\"ap-1\"}]"));
        assertEquals(CommandIntake.Outcome.REJECTED, send("[{\"deviceId\":\"ap-1\",\"remove\":true}]"));
        assertTrue(
                lastDetail().contains("access point 'ap-1' still has 2 labels bound to it (esl-1, esl-2)"),
                lastDetail());
        assertEquals(
                CommandIntake.Outcome.REJECTED,
                send("[{\"deviceId\":\"ap-1\",\"kind\":\"pda\"}]"),
                "re-bound as another kind is a removal too");
        assertTrue(registry.isRegistered("ap-1", DeviceKind.AP));
        // Its labels moved or removed in the same command: taken.
        assertEquals(
                CommandIntake.Outcome.APPLIED,
                send("[{\"deviceId\":\"ap-1\",\"remove\":true}," + label("esl-1", "ap-2")
                        + ",{\"deviceId\":\"esl-2\",\"remove\":true}]"));
        assertTrue(registry.find("ap-1").isEmpty());
        assertEquals("ap-2", registry.find("esl-1").orElseThrow().attributes().get("ap"));
    }

    private static String ap(String id, String url) {
        return "{\"deviceId\":\"" + id + "\",\"kind\":\"ap\",\"url\":\"" + url + "\"}";
    }

    private static String label(String id, String ap) {
        return "{\"deviceId\":\"" + id + "\",\"kind\":\"label\",\"sku\":\"A\",\"ap\":\"" + ap + "\"}";
    }

    private CommandIntake.Outcome send(String bindings) throws Exception {
        String json = "{\"commandId\":\"b-" + (++commands) + "\",\"bindings\":" + bindings + "}";
        return intake.receive(BINDINGS, json.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private String lastDetail() throws Exception {
        try (Connection c = database.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT detail FROM dead_letter ORDER BY id DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
