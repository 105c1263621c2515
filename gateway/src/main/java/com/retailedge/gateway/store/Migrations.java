package com.retailedge.gateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations: {@code db/V{n}__*.sql} on the classpath, applied in order, each in its own
 * transaction, with the schema version kept in SQLite's {@code user_version}.
 */
final class Migrations {
    /** Every migration in order; add new files at the end, never edit an applied one. */
    static final List<String> SCRIPTS = List.of(
            "db/V1__spine.sql",
            "db/V2__buttons_members.sql",
            "db/V3__picking_stock.sql",
            "db/V4__labels.sql",
            "db/V5__rollups.sql",
            "db/V6__registry_presence.sql",
            "db/V7__retention_indexes.sql",
            "db/V8__replenishment.sql",
            "db/V9__summary_requests.sql");

    private final Connection connection;

    Migrations(Connection connection) {
        this.connection = connection;
    }

    void apply() throws SQLException {
        int current = currentVersion();
        if (current > SCRIPTS.size()) {
            throw new SQLException("database schema version " + current + " is newer than this gateway knows ("
                    + SCRIPTS.size() + "); refusing to run an older gateway on it");
        }
        for (int version = current + 1; version <= SCRIPTS.size(); version++) {
            run(version, read(SCRIPTS.get(version - 1)));
        }
    }

    private int currentVersion() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    private void run(int version, String script) throws SQLException {
        boolean auto = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            for (String sql : statements(script)) {
                s.execute(sql);
            }
            s.execute("PRAGMA user_version = " + version);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw new SQLException("migration V" + version + " failed: " + e.getMessage(), e);
        } finally {
            connection.setAutoCommit(auto);
        }
    }

    /** Splits on semicolons at line ends; our scripts hold no triggers or string literals with ';'. */
    private static List<String> statements(String script) {
        StringBuilder clean = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            clean.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        return java.util.Arrays.stream(clean.toString().split(";"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String read(String resource) throws SQLException {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new SQLException("migration " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read migration " + resource, e);
        }
    }
}
