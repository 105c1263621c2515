package com.retailedge.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * One kind of expired row that housekeeping deletes in slices, on the writer thread, so the database does not grow
 * without bound and device traffic never waits long behind the delete. The feature that owns the table says which
 * rows have expired; housekeeping says when and how many.
 */
@FunctionalInterface
public interface Prune {
    /** Deletes at most {@code slice} rows that expired before {@code beforeMs}; returns how many it deleted. */
    int prune(Tx tx, long beforeMs, int slice) throws SQLException;

    /**
     * Rows of {@code table}, identified by {@code key} (a column, or a comma-separated list for a composite key),
     * for which {@code expired} holds; {@code expired} is an SQL condition in which {@code :before} stands for the
     * cut-off time in epoch millis, e.g. {@code state = 'closed' AND closed_ms < :before}.
     */
    static Prune rows(String table, String key, String expired) {
        Pattern identifiers = Pattern.compile("[a-z_]+(, ?[a-z_]+)*");
        if (!identifiers.matcher(table).matches() || !identifiers.matcher(key).matches() || table.contains(",")) {
            throw new IllegalArgumentException("a prune names a table and its key columns: " + table + " / " + key);
        }
        if (!expired.contains(":before")) {
            throw new IllegalArgumentException("a prune's condition must use :before, the cut-off: " + expired);
        }
        String match = key.contains(",") ? "(" + key + ")" : key;
        String sql = "DELETE FROM " + table + " WHERE " + match + " IN (SELECT " + key + " FROM " + table + " WHERE "
                + expired.replace(":before", "?1") + " LIMIT ?2)";
        return new Prune() {
            @Override
            public int prune(Tx tx, long beforeMs, int slice) throws SQLException {
                PreparedStatement ps = tx.prepare(sql);
                ps.setLong(1, beforeMs);
                ps.setInt(2, slice);
                return ps.executeUpdate();
            }

            @Override
            public String toString() {
                return sql;
            }
        };
    }
}
