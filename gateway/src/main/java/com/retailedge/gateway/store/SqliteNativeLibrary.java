package com.retailedge.gateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps one copy of sqlite-jdbc's native library in the data directory and points the driver at it. Left to
 * itself the driver copies the library (1 MB) out of the jar into the temp directory at every start, under a new
 * name, and reads both copies back to compare them: about 100 ms of each start on a store's box. The copy lives in
 * {@code native/sqlite-jdbc-VERSION/}, written to a temporary name and renamed, so a start cut off halfway leaves no
 * half a library; a new driver version writes its own and removes the old ones. A copy that does not load (a data
 * directory mounted {@code noexec}) is passed over by the driver, which then extracts as before. Whoever sets
 * {@code org.sqlite.lib.path} themselves keeps their own library.
 */
public final class SqliteNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";
    private static final String VERSION_PREFIX = "sqlite-jdbc-";
    /** The driver loads its library once per JVM; later gateways in the same JVM (tests) have nothing to set. */
    private static final AtomicBoolean SET = new AtomicBoolean();

    private SqliteNativeLibrary() {}

    /** Before the first SQLite connection of this JVM: makes or finds the copy under {@code dataDir}. */
    public static void useCopyIn(Path dataDir) {
        if (System.getProperty(PATH_PROPERTY) != null || !SET.compareAndSet(false, true)) {
            return;
        }
        try {
            Path library = copyIn(dataDir);
            if (library != null) {
                System.setProperty(PATH_PROPERTY, library.getParent().toString());
                System.setProperty(NAME_PROPERTY, library.getFileName().toString());
            }
        } catch (IOException e) {
            LOG.info("SQLite's native library stays in the temp directory: {}", e.toString());
        }
    }

    /** The copy under {@code dataDir}, made when missing; null when the jar has no library for this platform. */
    static Path copyIn(Path dataDir) throws IOException {
        String name = LibraryLoaderUtil.getNativeLibName();
        Path nativeDir = dataDir.resolve("native");
        Path dir = nativeDir.resolve(VERSION_PREFIX + SQLiteJDBCLoader.getVersion());
        Path library = dir.resolve(name);
        if (Files.isRegularFile(library)) {
            return library;
        }
        try (InputStream in = resource()) {
            if (in == null) {
                return null; // the driver says so itself when it looks
            }
            Files.createDirectories(dir);
            removePartials(dir);
            Path partial = Files.createTempFile(dir, name, ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
        }
        removeOtherVersions(nativeDir, dir);
        return library;
    }

    /** The library in the driver's jar for this platform; null when it has none. */
    static InputStream resource() {
        return SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName());
    }

    /** What a start cut off while copying left behind. */
    private static void removePartials(Path dir) throws IOException {
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, "*.partial")) {
            for (Path partial : partials) {
                Files.deleteIfExists(partial);
            }
        }
    }

    private static void removeOtherVersions(Path nativeDir, Path current) throws IOException {
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(nativeDir, VERSION_PREFIX + "*")) {
            for (Path old : versions) {
                if (!old.equals(current)) {
                    try (Stream<Path> files = Files.walk(old)) {
                        files.sorted(Comparator.reverseOrder())
                                .forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }
}
