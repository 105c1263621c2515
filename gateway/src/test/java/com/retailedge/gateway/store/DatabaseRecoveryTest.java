package com.retailedge.gateway.store;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A damaged database is set aside byte for byte, never deleted, and what can still be read is carried into a fresh
 * one that passes {@code PRAGMA integrity_check}. Real SQLite files, damaged the ways disks and power cuts damage
 * them: bytes flipped inside pages, a file cut short by a torn write, a header that is no longer SQLite's, a WAL cut
 * in the middle of a frame.
 */
class DatabaseRecoveryTest {
    static final int ROWS = 3000;

    @TempDir
    Path dir;

    @Test
    void flipped_bytes_inside_pages_keep_the_readable_rows_and_set_the_damaged_file_aside() throws Exception {
        Path data = populated(dir.resolve("data"));
        long pages = Files.size(data.resolve(Database.FILE_NAME)) / 4096;
        damagePages(data.resolve(Database.FILE_NAME), pages / 2, 3, new Random(42));
        byte[] damaged = Files.readAllBytes(data.resolve(Database.FILE_NAME));
        assertFalse(DatabaseRecovery.check(data.resolve(Database.FILE_NAME)).isEmpty(), "the damage is detectable");

        RecoveryReport report = DatabaseRecovery.checkAndRecover(data).orElseThrow();

        assertArrayEquals(
                damaged,
                Files.readAllBytes(report.movedTo().resolve(Database.FILE_NAME)),
                "the damaged file is kept as it was");
        assertTrue(
                report.movedTo().getFileName().toString().startsWith("corrupt-"),
                report.movedTo().toString());
        assertFalse(report.problems().isEmpty());
        long kept = count(data, "outbox") + count(data, "device_message") + count(data, "dead_letter");
        assertEquals(report.totalRowsCopied() - count(data, "gateway_state"), kept, "the report counts what was kept");
        assertTrue(kept >= 3 * ROWS * 6 / 10, "most rows are kept around 3 damaged pages: " + report.rowsCopied());
        assertTrue(kept < 3 * ROWS, "the damaged pages' rows cannot all be read: " + report.rowsCopied());
        assertIntact(data);
        assertTrue(DatabaseRecovery.checkAndRecover(data).isEmpty(), "the fresh database needs no recovery");
    }

    @Test
    void a_file_cut_short_by_a_torn_write_is_recovered_up_to_the_cut() throws Exception {
        Path data = populated(dir.resolve("data"));
        Path file = data.resolve(Database.FILE_NAME);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() * 2 / 3 + 1234);
        }

        RecoveryReport report = DatabaseRecovery.checkAndRecover(data).orElseThrow();

        assertTrue(Files.exists(report.movedTo().resolve(Database.FILE_NAME)));
        assertTrue(report.totalRowsCopied() > ROWS, "rows before the cut are kept: " + report.rowsCopied());
        assertIntact(data);
    }

    @Test
    void a_header_that_is_not_sqlite_any_more_leaves_a_fresh_database_and_the_old_file_aside() throws Exception {
        Path data = populated(dir.resolve("data"));
        Path file = data.resolve(Database.FILE_NAME);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(new byte[100]);
        }
        long size = Files.size(file);

        RecoveryReport report = DatabaseRecovery.checkAndRecover(data).orElseThrow();

        assertEquals(size, Files.size(report.movedTo().resolve(Database.FILE_NAME)));
        assertIntact(data);
        assertEquals(0, count(data, "outbox"), "a fresh schema, written by the migrations");
        assertEquals(
                1,
                count(data, "gateway_state WHERE name = 'outbox.acked' AND value = 0"),
                "with its cursors at the start");
    }

    @Test
    void a_wal_cut_in_the_middle_of_a_frame_is_not_damage_and_keeps_every_whole_commit() throws Exception {
        Path data = dir.resolve("data");
        Database db = Database.open(data);
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        // Commits stay in the WAL (no checkpoint) while the files are copied, as after a power cut.
        try (Connection c = db.openWriteConnection()) {
            insertOutbox(c, 0, 200);
            for (String suffix : List.of("", "-wal")) {
                Files.copy(data.resolve(Database.FILE_NAME + suffix), copy.resolve(Database.FILE_NAME + suffix));
            }
        }
        Path wal = copy.resolve(Database.FILE_NAME + "-wal");
        assertTrue(Files.size(wal) > 10_000, "the commits are in the WAL");
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            f.setLength(f.length() - 3000);
        }

        assertTrue(DatabaseRecovery.checkAndRecover(copy).isEmpty(), "SQLite ignores a torn last frame");
        assertTrue(Files.exists(copy.resolve(Database.FILE_NAME)));
        try (Stream<Path> files = Files.list(copy)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("corrupt-")));
        }
        assertIntact(copy);
        long kept = count(copy, "outbox");
        assertTrue(kept >= 0 && kept < 200, "only whole commits before the cut remain: " + kept);
    }

    /** A database with ROWS rows in each of three tables, checkpointed into the main file. */
    static Path populated(Path data) throws Exception {
        Database db = Database.open(data);
        try (Connection c = db.openWriteConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement dm = c.prepareStatement(
                            "INSERT INTO device_message (device_id, msg_id, channel, received_at, reply) VALUES (?, ?, 'SCAN', ?, ?)");
                    PreparedStatement dl = c.prepareStatement(
                            "INSERT INTO dead_letter (at_ms, source, address, reason, "
                                    + "detail, size, payload) VALUES (?, 'mqtt', 'store/s001/x', 'bad-json', 'detail', 3, x'010203')")) {
                for (int i = 0; i < ROWS; i++) {
                    dm.setString(1, "pda-" + (i % 10));
                    dm.setString(2, "m-" + i);
                    dm.setLong(3, i);
                    dm.setString(
                            4,
                            "{\"msgId\":\"m-" + i + "\",\"result\":\"accepted\",\"pad\":\"" + "x".repeat(80) + "\"}");
                    dm.executeUpdate();
                    dl.setLong(1, i);
                    dl.executeUpdate();
                }
            }
            insertOutbox(c, 0, ROWS);
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
        return data;
    }

    /** In the caller's transaction, or one commit per event when the connection auto-commits. */
    private static void insertOutbox(Connection c, int from, int n) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (seq, id, type, subject, time_ms, body) "
                + "VALUES (?, ?, 'retail.scan.accepted', 'pda-1', ?, ?)")) {
            for (int i = from; i < from + n; i++) {
                ps.setLong(1, i + 1);
                ps.setString(2, "id-" + i);
                ps.setLong(3, i);
                ps.setString(4, "{\"sequence\":" + (i + 1) + ",\"pad\":\"" + "y".repeat(150) + "\"}");
                ps.executeUpdate();
            }
        }
    }

    /** Overwrites {@code count} whole pages from {@code firstPage} with random bytes. */
    static void damagePages(Path file, long firstPage, int count, Random random) throws Exception {
        byte[] garbage = new byte[4096 * count];
        random.nextBytes(garbage);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(firstPage * 4096);
            f.write(garbage);
        }
    }

    static void assertIntact(Path data) throws Exception {
        try (Connection c = Database.open(data).openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
    }

    static long count(Path data, String table) throws Exception {
        try (Connection c = Database.open(data).openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.getLong(1);
        }
    }
}
