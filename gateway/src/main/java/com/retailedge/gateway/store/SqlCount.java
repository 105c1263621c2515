package com.retailedge.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The one number a {@code SELECT COUNT(*) ...} answers, for summary parts and other read-side counts. */
public final class SqlCount {
    private SqlCount() {}

    /** Runs the query with its {@code ?} parameters bound in order; 0 when it returns no row. */
    public static long of(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setLong(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
