package com.retailedge.gateway.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** {@code PRAGMA integrity_check} on the gateway's database, read-only, beside a running gateway or after it. */
public final class StoreIntegrity {
    private StoreIntegrity() {}

    /** "ok", or what SQLite found wrong (first line). */
    public static String check(Path dataDir) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("gateway.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA query_only=ON");
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                return rs.next() ? rs.getString(1) : "no answer";
            }
        }
    }
}
