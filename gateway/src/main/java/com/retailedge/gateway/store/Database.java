package com.retailedge.gateway.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The gateway's one SQLite file, in WAL mode. Hands out the writer's connection (one, owned by
 * {@link SqliteWriter}) and read-only connections, which WAL lets run beside the writer.
 */
public final class Database {
    public static final String FILE_NAME = "gateway.db";

    private final Path file;

    private Database(Path file) {
        this.file = file;
    }

    /** Creates or opens the database under {@code dataDir} and brings its schema up to date. */
    public static Database open(Path dataDir) throws SQLException, IOException {
        Files.createDirectories(dataDir);
        Database db = new Database(dataDir.resolve(FILE_NAME));
        makePrivate(dataDir);
        try (Connection c = db.openWriteConnection()) {
            new Migrations(c).apply();
        }
        return db;
    }

    /**
     * Member ids, tiers and notes live in the database: it is created 0600 before SQLite opens it (the JVM has no
     * umask call), and SQLite gives its -wal, -shm and journal files the database file's mode. Files an earlier
     * version left readable lose group and others' rights.
     */
    private static void makePrivate(Path dataDir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        Path db = dataDir.resolve(FILE_NAME);
        if (!Files.exists(db)) {
            try {
                Files.createFile(db, PosixFilePermissions.asFileAttribute(ownerOnly));
            } catch (FileAlreadyExistsException raced) {
                // made in between: restricted below
            }
        }
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Path f = dataDir.resolve(FILE_NAME + suffix);
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                Set<PosixFilePermission> now = Files.getPosixFilePermissions(f);
                if (!ownerOnly.containsAll(now)) {
                    Set<PosixFilePermission> kept = EnumSet.copyOf(now);
                    kept.retainAll(ownerOnly);
                    Files.setPosixFilePermissions(f, kept);
                }
            }
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The connection for the single writer. synchronous=FULL makes each commit fsync the WAL, so what a
     * device is told was accepted survives a power cut, not only a crash.
     */
    public Connection openWriteConnection() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // sqlite-jdbc otherwise runs a regex over every INSERT to find generated keys we never read.
        config.setGetGeneratedKeys(false);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=10000");
            // 4 MB of page cache: the writer's hot pages (the outbox's tail, the indexes it inserts into) fit, and the
            // OS page cache holds the rest. 16 MB cost 15 MB of peak RSS at -Xmx96m with no gain in the rate a
            // 30,000-press burst was acknowledged at (docs/benchmarks.md, W4).
            s.execute("PRAGMA cache_size=-4000");
            // Checkpoints run on their own thread (WalCheckpointer), not inside a device's commit.
            s.execute("PRAGMA wal_autocheckpoint=0");
        }
        return c;
    }

    /** A connection for queries; it never writes, so it never contends with the writer. */
    public Connection openReadConnection() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA query_only=ON");
        }
        return c;
    }
}
