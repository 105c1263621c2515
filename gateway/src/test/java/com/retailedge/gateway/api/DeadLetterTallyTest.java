package com.retailedge.gateway.api;

import com.retailedge.gateway.spi.StoreDay;
import com.retailedge.gateway.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Today's dead letters by reason on a real SQLite file: only rows from the store's midnight on count, rows
 * added later are added to the counts, and a new day starts from zero.
 */
class DeadLetterTallyTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @TempDir
    Path dir;

    @Test
    void counts_from_the_stores_midnight_then_only_what_was_added_and_restarts_at_the_next_day() throws Exception {
        Database database = Database.open(dir);
        Instant midnight = Instant.parse("2026-03-10T04:00:00Z"); // 00:00 in New York (EDT)
        try (Connection write = database.openWriteConnection();
                Connection read = database.openReadConnection()) {
            for (int i = 0; i < 50; i++) {
                insert(write, midnight.minusSeconds(3600 - i), i % 2 == 0 ? "bad-json" : "unknown-device");
            }
            insert(write, midnight, "bad-json");
            insert(write, midnight.plusSeconds(60), "bad-field");
            DeadLetterTally tally = new DeadLetterTally();
            StoreDay day = StoreDay.at(NEW_YORK, midnight.plusSeconds(120));
            assertEquals(midnight.toEpochMilli(), day.startMs());
            assertEquals(Map.of("bad-json", 1L, "bad-field", 1L), tally.today(read, day));

            insert(write, midnight.plusSeconds(180), "bad-field");
            insert(write, midnight.plusSeconds(181), "too-large");
            assertEquals(
                    Map.of("bad-json", 1L, "bad-field", 2L, "too-large", 1L),
                    tally.today(read, StoreDay.at(NEW_YORK, midnight.plusSeconds(200))));

            Instant nextMidnight = midnight.plusSeconds(86_400);
            insert(write, nextMidnight.plusSeconds(5), "bad-json");
            assertEquals(
                    Map.of("bad-json", 1L), tally.today(read, StoreDay.at(NEW_YORK, nextMidnight.plusSeconds(10))));
        }
    }

    private static void insert(Connection c, Instant at, String reason) throws Exception {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO dead_letter (at_ms, source, address, device_id, reason, "
                        + "detail, size, payload) VALUES (?, 'coap', '/button/x/press', 'x', ?, 'test', 0, NULL)")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, reason);
            ps.executeUpdate();
        }
    }
}
