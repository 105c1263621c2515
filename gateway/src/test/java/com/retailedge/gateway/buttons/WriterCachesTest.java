package com.retailedge.gateway.buttons;

import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.notices.StaffNotices;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.WriteWork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer-side memory of presses (debounce marks, open notices) against a real SQLite file and writer: it never
 * says what the table does not, after a rolled-back unit, after an acknowledgement, after housekeeping deleted an
 * expired notice, and after a restart (a fresh instance reading the same file).
 */
@Timeout(60)
class WriterCachesTest {
    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;
    private DeviceRegistry registry;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        try (Connection c = database.openReadConnection()) {
            registry = DeviceRegistry.load(c);
        }
        writer = new SqliteWriter(database, 100, 1000, new SimpleMeterRegistry());
        writer.start();
    }

    @AfterEach
    void close() {
        writer.close();
    }

    private <T> T write(WriteWork<T> work) throws Exception {
        return writer.submit(work).get(20, TimeUnit.SECONDS);
    }

    private void failing(WriteWork<?> work) {
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> writer.submit(tx -> {
                            work.run(tx);
                            throw new SQLException("this unit fails after its writes");
                        })
                        .get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SQLException, e.toString());
    }

    @Test
    void a_debounce_mark_moved_in_a_rolled_back_unit_is_forgotten_and_a_committed_one_survives_a_restart()
            throws Exception {
        DebounceMarks marks = new DebounceMarks();
        assertTrue(DebounceMarks.never(write(tx -> marks.last(tx, "btn-1", "single"))));
        write(tx -> {
            marks.move(tx, "btn-1", "single", 1_000L);
            return null;
        });
        failing(tx -> {
            marks.move(tx, "btn-1", "single", 5_000L);
            marks.move(tx, "btn-2", "single", 5_000L);
            return null;
        });
        assertEquals(Long.valueOf(1_000L), write(tx -> (Long) marks.last(tx, "btn-1", "single")));
        assertTrue(DebounceMarks.never(write(tx -> marks.last(tx, "btn-2", "single"))));

        DebounceMarks afterRestart = new DebounceMarks();
        assertEquals(Long.valueOf(1_000L), write(tx -> (Long) afterRestart.last(tx, "btn-1", "single")));
        assertTrue(DebounceMarks.never(write(tx -> afterRestart.last(tx, "btn-1", "long"))));
    }

    @Test
    void an_open_notice_is_known_until_acknowledged_and_one_opened_in_a_rolled_back_unit_never_was() throws Exception {
        StaffNotices notices = new StaffNotices("s1", registry, (topic, json) -> {});
        failing(tx -> notices.open(tx, "staff-call", "btn-1", 5, Map.of(), null));
        assertNull(write(tx -> notices.openNoticeOf(tx, "staff-call", "btn-1")));

        String id = write(tx -> notices.open(tx, "staff-call", "btn-1", 5, Map.of(), null));
        assertEquals(id, write(tx -> notices.openNoticeOf(tx, "staff-call", "btn-1")));
        assertNull(write(tx -> notices.openNoticeOf(tx, "shelf-empty", "btn-1")));
        assertEquals(
                id,
                write(tx -> new StaffNotices("s1", registry, (t, j) -> {}).openNoticeOf(tx, "staff-call", "btn-1")),
                "a restart reads the open notice from the table");

        failing(tx -> {
            notices.acknowledged(tx, new DeviceMessage.PdaAck("pda-1", "m1", id));
            return null;
        });
        assertEquals(id, write(tx -> notices.openNoticeOf(tx, "staff-call", "btn-1")), "the ack was rolled back");
        write(tx -> {
            notices.acknowledged(tx, new DeviceMessage.PdaAck("pda-1", "m2", id));
            return null;
        });
        assertNull(write(tx -> notices.openNoticeOf(tx, "staff-call", "btn-1")));
        String next = write(tx -> notices.open(tx, "staff-call", "btn-1", 5, Map.of(), null));
        assertNotNull(next);
        assertEquals(next, write(tx -> notices.openNoticeOf(tx, "staff-call", "btn-1")));
    }

    @Test
    void a_notice_with_an_expiry_deleted_by_housekeeping_is_no_longer_open() throws Exception {
        StaffNotices notices = new StaffNotices("s1", registry, (topic, json) -> {});
        String id = write(tx -> notices.open(tx, "member", "cam-1", 2, Map.of(), 1L));
        assertEquals(id, write(tx -> notices.openNoticeOf(tx, "member", "cam-1")));
        write(tx -> {
            // What Buttons' housekeeping rule does to an expired notice, open or not.
            try (var ps = tx.connection().prepareStatement("DELETE FROM notice WHERE expires_ms < ?")) {
                ps.setLong(1, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
        assertNull(write(tx -> notices.openNoticeOf(tx, "member", "cam-1")));
    }
}
