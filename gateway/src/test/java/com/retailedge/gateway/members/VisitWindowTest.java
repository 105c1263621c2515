package com.retailedge.gateway.members;

import com.retailedge.gateway.cloud.CommandIntake;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.ingest.InFlightBudget;
import com.retailedge.gateway.ingest.IngestResult;
import com.retailedge.gateway.notices.StaffNotices;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.testsupport.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The visit window in virtual time, through the real ingest path, writer and SQLite file: a member seen again
 * within {@code members.visit-window} of the last sighting continues the visit, one seen later starts a new one, and
 * the greeting notice lapses with the window. The clock is the test's; nothing waits for the 30 minutes.
 */
@Timeout(30)
class VisitWindowTest {
    private static final Duration WINDOW = Duration.ofMinutes(30);
    private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private Database database;
    private SqliteWriter writer;
    private DeviceIngest ingest;
    private int sightings;

    @BeforeEach
    void start() throws Exception {
        database = Database.open(dir);
        Outbox outbox;
        DeviceRegistry registry;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
            registry = DeviceRegistry.load(c);
        }
        writer = new SqliteWriter(database, 100, 10_000, metrics);
        writer.start();
        GatewayConfig config = new ConfigLoader(Map.of(
                        "GATEWAY_DEVICES", "camera:camera-{n}:1",
                        "GATEWAY_MEMBERS_REF_KEY", "visit-window-test-key-0123456789abcdef",
                        "GATEWAY_MEMBERS_VISIT_WINDOW", "30m"))
                .load(null);
        writer.submit(tx -> {
                    registry.registerConfigured(tx, config.devices());
                    return null;
                })
                .get();
        DeadLetters deadLetters = new DeadLetters(metrics);
        StaffNotices notices = new StaffNotices("s001", registry, (topic, json) -> {});
        Capability members = Members.create(config, writer, outbox, notices, clock, metrics);
        Capabilities capabilities = Capabilities.of(members);
        ingest = new DeviceIngest(
                writer,
                outbox,
                registry,
                deadLetters,
                capabilities,
                (pda, json) -> {},
                DeviceIngest.MAX_QUEUED_REPLIES,
                new InFlightBudget(InFlightBudget.MAX_MESSAGES, InFlightBudget.MAX_BYTES, metrics),
                metrics);
        CommandIntake intake = new CommandIntake("s001", writer, outbox, deadLetters, registry, capabilities);
        intake.receive(
                        "retail/s001/commands/members",
                        ("{\"commandId\":\"m-1\",\"members\":[{\"memberId\":\"gold\",\"tier\":\"L2\",\"consent\":true,"
                                        + "\"refs\":[{\"method\":\"card\",\"ref\":\"CARD-0001\"}]}]}")
                                .getBytes(StandardCharsets.UTF_8))
                .get();
    }

    @AfterEach
    void stop() {
        ingest.close();
        writer.close();
    }

    @Test
    void a_sighting_within_the_window_continues_the_visit_and_one_after_it_starts_a_new_one() throws Exception {
        see();
        assertEquals(1, visits());
        assertEquals(1, recognizedEvents());
        assertEquals(START.plus(WINDOW).toEpochMilli(), noticeExpiry(), "the greeting lapses with the window");

        clock.advance(WINDOW.minusMinutes(1));
        see();
        assertEquals(1, visits(), "29 minutes after the last sighting: the same visit");
        assertEquals(1, recognizedEvents());

        clock.advance(WINDOW.minusMinutes(1));
        see();
        assertEquals(1, visits(), "the window runs from the last sighting, not the first");

        clock.advance(WINDOW.plusSeconds(1));
        see();
        assertEquals(2, visits(), "a sighting past the window starts a new visit");
        assertEquals(2, recognizedEvents());
    }

    private void see() throws Exception {
        sightings++;
        byte[] payload = ("{\"msgId\":\"r" + sightings + "\",\"method\":\"card\",\"memberRef\":\"CARD-0001\","
                        + "\"confidence\":1.0}")
                .getBytes(StandardCharsets.UTF_8);
        IngestResult result = ingest.submit(
                        Transport.MQTT,
                        "store/s001/camera/camera-1/recognition",
                        new DeviceAddress(Channel.RECOGNITION, "camera-1"),
                        payload)
                .get();
        assertFalse(result.isRejected(), "sighting " + sightings + " accepted: " + result);
    }

    private long visits() throws Exception {
        return single("SELECT COUNT(*) FROM member_visit WHERE member_id = 'gold'");
    }

    private long recognizedEvents() throws Exception {
        return single("SELECT COUNT(*) FROM outbox WHERE type = 'retail.member.recognized'");
    }

    private long noticeExpiry() throws Exception {
        return single("SELECT MAX(expires_ms) FROM notice");
    }

    private long single(String sql) throws Exception {
        try (Connection c = database.openReadConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
