package com.retailedge.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Runs before the store opens. A database that fails {@code PRAGMA quick_check} (flipped bytes, a torn or cut
 * file, a header that is no longer SQLite's) is never deleted and never written to: it is moved with its WAL and
 * shared-memory files to {@code data/corrupt-<time>/}, a fresh database is made, and every row that can still be
 * read is copied into it, table by table. A damaged page stops a scan, so each table is read forwards from its
 * first key (probing past the damage where the key is an integer) and backwards from its last: only the rows on
 * the unreadable pages stay behind.
 */
public final class DatabaseRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRecovery.class);
    static final int MAX_PROBLEMS = 10;
    private static final int PAGE_ROWS = 500;
    private static final String[] COMPANIONS = {"", "-wal", "-shm", "-journal"};
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private DatabaseRecovery() {}

    /**
     * Checks the database under {@code dataDir}; when it is damaged, sets it aside and recovers what it can.
     * Returns what was done, or empty when the database is sound or does not exist yet.
     */
    public static Optional<RecoveryReport> checkAndRecover(Path dataDir) throws IOException, SQLException {
        Path file = dataDir.resolve(Database.FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> problems = check(file);
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        LOG.error("the database {} is damaged: {}; setting it aside and recovering what it holds", file, problems);
        Path aside = moveAside(dataDir, now);
        Database fresh = Database.open(dataDir);
        Map<String, Long> copied = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        copyReadableRows(aside.resolve(Database.FILE_NAME), fresh, copied, errors);
        RecoveryReport report = new RecoveryReport(now, aside, problems, copied, errors);
        LOG.error(
                "recovered {} rows {} from the damaged database into a fresh one; unreadable: {}; the damaged files "
                        + "are kept in {}",
                report.totalRowsCopied(),
                copied,
                errors,
                aside);
        return Optional.of(report);
    }

    /** What {@code PRAGMA quick_check} reports, or the error that stopped it; empty means sound. */
    static List<String> check(Path file) {
        List<String> problems = new ArrayList<>();
        try (Connection c = openReadOnly(file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equals(line)) {
                    problems.add(line);
                }
            }
        } catch (SQLException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    private static Path moveAside(Path dataDir, long now) throws IOException {
        Path aside = dataDir.resolve("corrupt-" + STAMP.format(java.time.Instant.ofEpochMilli(now)));
        for (int n = 2; Files.exists(aside); n++) {
            aside = dataDir.resolve("corrupt-" + STAMP.format(java.time.Instant.ofEpochMilli(now)) + "-" + n);
        }
        Files.createDirectories(aside);
        for (String suffix : COMPANIONS) {
            Path part = dataDir.resolve(Database.FILE_NAME + suffix);
            if (Files.exists(part)) {
                // A rename in the same directory tree: no copy, so it works on a full disk too.
                Files.move(part, aside.resolve(part.getFileName()));
            }
        }
        return aside;
    }

    private static void copyReadableRows(
            Path damaged, Database fresh, Map<String, Long> copied, Map<String, String> errors) throws SQLException {
        try (Connection from = openReadOnly(damaged);
                Connection to = fresh.openWriteConnection()) {
            try (Statement s = from.createStatement()) {
                // Lets SQLite read a file cut shorter than its header says (a torn write) instead of refusing it.
                s.execute("PRAGMA writable_schema=ON");
            }
            try (Statement s = to.createStatement()) {
                // Children may be readable where their parents are not; keep them rather than drop them.
                s.execute("PRAGMA foreign_keys=OFF");
            }
            to.setAutoCommit(false);
            for (String table : tables(to)) {
                TableCopy copy = new TableCopy(table, from, to);
                try {
                    copied.put(table, copy.run());
                } catch (SQLException e) {
                    copied.put(table, copy.rows);
                    errors.put(table, e.getMessage());
                }
                if (copy.firstError != null) {
                    errors.putIfAbsent(table, copy.firstError);
                }
                to.commit();
            }
        }
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static Connection openReadOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only=ON");
        }
        return c;
    }

    /** Copies one table in key order, forwards until a damaged page, then backwards down to where that stopped. */
    private static final class TableCopy {
        private final String table;
        private final Connection from;
        private final Connection to;
        private long rows;
        private String firstError;

        TableCopy(String table, Connection from, Connection to) {
            this.table = table;
            this.from = from;
            this.to = to;
        }

        long run() throws SQLException {
            List<String> freshColumns = new ArrayList<>();
            List<String> keys = columns(to, freshColumns);
            List<String> oldColumns = new ArrayList<>();
            columns(from, oldColumns);
            List<String> common =
                    freshColumns.stream().filter(oldColumns::contains).toList();
            if (common.isEmpty()) {
                return 0;
            }
            if (keys.isEmpty() || !common.containsAll(keys)) {
                keys = List.of("rowid");
            }
            String cols = String.join(
                    ", ", common.stream().map(DatabaseRecovery::quote).toList());
            String keyList =
                    String.join(", ", keys.stream().map(DatabaseRecovery::quote).toList());
            String marks = String.join(", ", common.stream().map(c -> "?").toList());
            String keyMarks = String.join(", ", keys.stream().map(c -> "?").toList());
            PreparedStatement insert = to.prepareStatement(
                    "INSERT OR REPLACE INTO " + quote(table) + " (" + cols + ") VALUES (" + marks + ")");
            try (insert) {
                String select = "SELECT " + keyList + ", " + cols + " FROM " + quote(table);
                String after = "(" + keyList + ") > (" + keyMarks + ")";
                Object[] forwardEnd = scan(select, keys.size(), after, keyList, insert, common.size());
                if (firstError != null) {
                    // Backwards from the end, stopping before the rows the forward scan already took.
                    String before = "(" + keyList + ") < (" + keyMarks + ")";
                    scanBackwards(select, keys.size(), before, after, forwardEnd, insert, common.size(), keyList);
                }
            }
            return rows;
        }

        /**
         * Returns the last key read. At a damaged page it records the error and, for an integer key, carries on past
         * it; for other keys it stops there (the backward scan takes the rest).
         */
        private Object[] scan(
                String select, int keyCount, String after, String order, PreparedStatement insert, int width) {
            Object[] last = null;
            while (true) {
                String sql =
                        select + (last == null ? "" : " WHERE " + after) + " ORDER BY " + order + " LIMIT " + PAGE_ROWS;
                int read;
                try (PreparedStatement q = from.prepareStatement(sql)) {
                    bind(q, 1, last);
                    read = 0;
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            last = copyRow(rs, keyCount, width, insert);
                            read++;
                        }
                    }
                } catch (SQLException e) {
                    if (firstError == null) {
                        firstError = e.getMessage();
                    }
                    Object[] resume = keyCount == 1 ? readableKeyAfter(select, last) : null;
                    if (resume == null) {
                        return last;
                    }
                    last = resume;
                    continue;
                }
                if (read < PAGE_ROWS) {
                    return last;
                }
            }
        }

        /**
         * For an integer key (the outbox's sequence, a rowid): the first readable key past a damaged page, found by
         * probing ever further ahead; its predecessor is returned so the scan resumes there. Null when none is found.
         */
        private Object[] readableKeyAfter(String select, Object[] last) {
            // select starts "SELECT <key>, ": the one key column
            long start =
                    last == null ? Long.MIN_VALUE / 2 : last[0] instanceof Number n ? n.longValue() : Long.MAX_VALUE;
            if (start == Long.MAX_VALUE) {
                return null;
            }
            String key = select.substring("SELECT ".length(), select.indexOf(','));
            for (long step = 1; step > 0 && step < (1L << 48); step *= 2) {
                try (PreparedStatement q = from.prepareStatement("SELECT " + key + " FROM " + quote(table) + " WHERE "
                        + key + " > ? ORDER BY " + key + " LIMIT 1")) {
                    q.setLong(1, start + step);
                    try (ResultSet rs = q.executeQuery()) {
                        return rs.next() ? new Object[] {rs.getLong(1) - 1} : null;
                    }
                } catch (SQLException stillDamaged) {
                    // probe further ahead
                }
            }
            return null;
        }

        private void scanBackwards(
                String select,
                int keyCount,
                String before,
                String after,
                Object[] floor,
                PreparedStatement insert,
                int width,
                String keyList) {
            Object[] last = null;
            while (true) {
                List<String> conditions = new ArrayList<>();
                if (last != null) {
                    conditions.add(before);
                }
                if (floor != null) {
                    conditions.add(after);
                }
                String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
                String sql = select + where + " ORDER BY " + descending(keyList) + " LIMIT " + PAGE_ROWS;
                int read = 0;
                try (PreparedStatement q = from.prepareStatement(sql)) {
                    int next = bind(q, 1, last);
                    bind(q, next, floor);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            last = copyRow(rs, keyCount, width, insert);
                            read++;
                        }
                    }
                } catch (SQLException e) {
                    return;
                }
                if (read < PAGE_ROWS) {
                    return;
                }
            }
        }

        private Object[] copyRow(ResultSet rs, int keyCount, int width, PreparedStatement insert) throws SQLException {
            Object[] key = new Object[keyCount];
            for (int i = 0; i < keyCount; i++) {
                key[i] = rs.getObject(i + 1);
            }
            for (int i = 0; i < width; i++) {
                insert.setObject(i + 1, rs.getObject(keyCount + i + 1));
            }
            try {
                insert.executeUpdate();
                rows++;
            } catch (SQLException unfit) {
                // A damaged cell can read as a row the schema forbids (NULL where NOT NULL): leave it behind.
                if (firstError == null) {
                    firstError = unfit.getMessage();
                }
            }
            return key;
        }

        /** Column names in order; returns the primary-key columns in key order. */
        private List<String> columns(Connection c, List<String> names) throws SQLException {
            Map<Integer, String> keys = new java.util.TreeMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA table_info(" + quote(table) + ")")) {
                while (rs.next()) {
                    String name = rs.getString("name");
                    names.add(name);
                    int pk = rs.getInt("pk");
                    if (pk > 0) {
                        keys.put(pk, name);
                    }
                }
            }
            return new ArrayList<>(keys.values());
        }
    }

    private static int bind(PreparedStatement q, int from, Object[] values) throws SQLException {
        if (values == null) {
            return from;
        }
        for (int i = 0; i < values.length; i++) {
            q.setObject(from + i, values[i]);
        }
        return from + values.length;
    }

    private static String descending(String keyList) {
        return String.join(
                ", ",
                java.util.Arrays.stream(keyList.split(", "))
                        .map(k -> k + " DESC")
                        .toList());
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
