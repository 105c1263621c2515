package com.retailedge.gateway.buttons;

import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The debounce mark of each button and gesture: when its last counted press was. Every press reads it, so it is
 * kept in memory, read from {@code button_last_press} once per button and gesture, and written through to that
 * table in the press's own transaction (the table is what a restart starts from). A rolled-back write puts the
 * previous mark back, so the map never holds what the database does not. Writer thread only.
 */
final class DebounceMarks {
    /** Stands for "no row": a button never counted with this gesture. */
    private static final long NONE = Long.MIN_VALUE;

    private final Map<String, Long> marks = new HashMap<>();

    /** When this button's last counted press of this gesture was, or {@link Long#MIN_VALUE} when never. */
    long last(Tx tx, String buttonId, String press) throws SQLException {
        String key = buttonId + '\0' + press;
        Long cached = marks.get(key);
        if (cached != null) {
            return cached;
        }
        PreparedStatement select = tx.prepare("SELECT at_ms FROM button_last_press WHERE button_id = ? AND press = ?");
        select.setString(1, buttonId);
        select.setString(2, press);
        long at;
        try (ResultSet rs = select.executeQuery()) {
            at = rs.next() ? rs.getLong(1) : NONE;
        }
        // Read inside a transaction that may yet roll back, but nothing else writes this table: the row read is
        // committed state or this batch's own write through move(), whose rollback hook restores the map.
        marks.put(key, at);
        return at;
    }

    /** Moves the mark to {@code atMs}, in the database and, undone on rollback, in memory. */
    void move(Tx tx, String buttonId, String press, long atMs) throws SQLException {
        PreparedStatement upsert =
                tx.prepare("INSERT INTO button_last_press (button_id, press, at_ms) VALUES (?, ?, ?) "
                        + "ON CONFLICT (button_id, press) DO UPDATE SET at_ms = excluded.at_ms");
        upsert.setString(1, buttonId);
        upsert.setString(2, press);
        upsert.setLong(3, atMs);
        upsert.executeUpdate();
        String key = buttonId + '\0' + press;
        Long previous = marks.put(key, atMs);
        tx.onRollback(() -> {
            if (previous == null) {
                marks.remove(key);
            } else {
                marks.put(key, previous);
            }
        });
    }

    static boolean never(long mark) {
        return mark == NONE;
    }
}
