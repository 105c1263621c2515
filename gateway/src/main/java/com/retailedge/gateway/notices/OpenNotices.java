package com.retailedge.gateway.notices;

import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which notices are open, by kind and source, in memory: every staff-call and shelf-empty press asks whether its
 * button already has one, and the answer must not cost a query per press. Loaded from {@code notice} on first use
 * inside the writer's transaction; changed only together with the row ({@link StaffNotices} opens and closes every
 * notice), each change undone on rollback. Notices with an expiry can disappear without a state change (housekeeping
 * deletes expired rows), so a kind that has ever had one is not answered from memory but from the table.
 * Writer thread only.
 */
final class OpenNotices {
    private final Map<String, String> openBySource = new HashMap<>();
    private final Map<String, String> sourceByNotice = new HashMap<>();
    private final Set<String> expiringKinds = new HashSet<>();
    private boolean loaded;

    /** The open notice of this kind from this source, or null. */
    String find(Tx tx, String kind, String sourceId) throws SQLException {
        load(tx);
        if (!expiringKinds.contains(kind)) {
            return openBySource.get(key(kind, sourceId));
        }
        PreparedStatement ps =
                tx.prepare("SELECT notice_id FROM notice WHERE state = 'open' AND kind = ? AND source_id = ? LIMIT 1");
        ps.setString(1, kind);
        ps.setString(2, sourceId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** A notice row was just inserted as open in this transaction. */
    void opened(Tx tx, String noticeId, String kind, String sourceId, Long expiresMs) throws SQLException {
        load(tx);
        if (expiresMs != null) {
            // Permanent and not undone on rollback: answering from the table is always right, only slower.
            expiringKinds.add(kind);
            return;
        }
        String key = key(kind, sourceId);
        String previous = openBySource.put(key, noticeId);
        sourceByNotice.put(noticeId, key);
        tx.onRollback(() -> {
            sourceByNotice.remove(noticeId);
            if (previous == null) {
                openBySource.remove(key);
            } else {
                openBySource.put(key, previous);
            }
        });
    }

    /** A notice row was just moved from open to closed in this transaction. */
    void closed(Tx tx, String noticeId) throws SQLException {
        load(tx);
        String key = sourceByNotice.remove(noticeId);
        if (key == null) {
            return;
        }
        boolean wasCurrent = noticeId.equals(openBySource.get(key));
        if (wasCurrent) {
            openBySource.remove(key);
        }
        tx.onRollback(() -> {
            sourceByNotice.put(noticeId, key);
            if (wasCurrent) {
                openBySource.put(key, noticeId);
            }
        });
    }

    /**
     * Reads the open notices once. Callers that change a notice row call this before the change, so the first load
     * reads only what is committed or written by earlier units of this batch through this class (whose rollback
     * hooks undo it here too).
     */
    void load(Tx tx) throws SQLException {
        if (loaded) {
            return;
        }
        PreparedStatement kinds = tx.prepare("SELECT DISTINCT kind FROM notice WHERE expires_ms IS NOT NULL");
        try (ResultSet rs = kinds.executeQuery()) {
            while (rs.next()) {
                expiringKinds.add(rs.getString(1));
            }
        }
        PreparedStatement open =
                tx.prepare("SELECT notice_id, kind, source_id FROM notice WHERE state = 'open' AND expires_ms IS NULL");
        try (ResultSet rs = open.executeQuery()) {
            while (rs.next()) {
                String key = key(rs.getString(2), rs.getString(3));
                openBySource.putIfAbsent(key, rs.getString(1));
                sourceByNotice.put(rs.getString(1), key);
            }
        }
        loaded = true;
    }

    private static String key(String kind, String sourceId) {
        return kind + '\0' + sourceId;
    }
}
