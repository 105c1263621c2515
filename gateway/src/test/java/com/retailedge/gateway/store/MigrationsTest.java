package com.retailedge.gateway.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema comes from versioned scripts, applied once each, atomically, and never by an older gateway. */
class MigrationsTest {
    private static final Set<String> SPINE_TABLES = Set.of(
            "device_message",
            "outbox",
            "gateway_state",
            "dead_letter",
            "applied_command",
            "device",
            "catalog_item",
            "catalog_gtin",
            "label_state",
            "pda_state");

    @TempDir
    Path dir;

    @Test
    void the_scripts_are_numbered_from_1_without_gaps_and_are_on_the_classpath() {
        for (int i = 0; i < Migrations.SCRIPTS.size(); i++) {
            String script = Migrations.SCRIPTS.get(i);
            assertTrue(script.matches("db/V" + (i + 1) + "__[a-z0-9_]+\\.sql"), script);
            assertNotNull(getClass().getClassLoader().getResource(script), script);
        }
    }

    @Test
    void given_a_fresh_directory_when_opened_then_the_schema_is_at_the_latest_version_in_wal_mode() throws Exception {
        Database database = Database.open(dir.resolve("new/nested"));
        try (Connection c = database.openReadConnection()) {
            assertEquals(Migrations.SCRIPTS.size(), userVersion(c));
            assertTrue(tables(c).containsAll(SPINE_TABLES), tables(c).toString());
            assertEquals("wal", single(c, "PRAGMA journal_mode"));
            assertEquals("0", single(c, "SELECT value FROM gateway_state WHERE name = 'outbox.acked'"));
        }
    }

    @Test
    void given_an_existing_database_when_opened_again_then_nothing_is_applied_twice_and_data_stays() throws Exception {
        Database first = Database.open(dir);
        try (Connection c = first.openWriteConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO device (device_id, kind, source, updated_ms) VALUES ('pda-1', 'pda', 'test', 1)");
            s.execute("UPDATE gateway_state SET value = 41 WHERE name = 'outbox.acked'");
        }
        for (int reopen = 0; reopen < 3; reopen++) {
            Database again = Database.open(dir);
            try (Connection c = again.openReadConnection()) {
                assertEquals(Migrations.SCRIPTS.size(), userVersion(c));
                assertEquals("1", single(c, "SELECT COUNT(*) FROM device"));
                assertEquals(
                        "1",
                        single(c, "SELECT COUNT(*) FROM gateway_state WHERE name = 'outbox.acked'"),
                        "the seed row of V1 was not inserted again");
                assertEquals("41", single(c, "SELECT value FROM gateway_state WHERE name = 'outbox.acked'"));
            }
        }
    }

    @Test
    void given_a_database_from_a_newer_gateway_then_opening_it_is_refused() throws Exception {
        Database.open(dir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Migrations.SCRIPTS.size() + 1));
        }
        SQLException e = assertThrows(SQLException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void given_a_migration_that_fails_halfway_then_none_of_it_is_kept() throws Exception {
        // A table that V1 creates late in its script already exists: V1 fails after creating earlier tables.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE label_state (squatter INTEGER)");
        }
        SQLException e = assertThrows(SQLException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("migration V1 failed"), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME))) {
            assertEquals(0, userVersion(c));
            assertEquals(Set.of("label_state"), tables(c), "the tables V1 created before failing were rolled back");
        }
    }

    private static int userVersion(Connection c) throws SQLException {
        return Integer.parseInt(single(c, "PRAGMA user_version"));
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
