package com.retailedge.gateway.store;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The copy of SQLite's native library in the data directory: exact, made once, and the only one left. */
class SqliteNativeLibraryTest {
    @TempDir
    Path dataDir;

    @Test
    void the_copy_is_the_drivers_library_byte_for_byte_and_replaces_what_an_older_version_or_a_cut_off_copy_left()
            throws Exception {
        Path old = Files.createDirectories(dataDir.resolve("native/sqlite-jdbc-3.0.0.0"));
        Files.writeString(old.resolve("libsqlitejdbc.so"), "an older driver's library");
        Path library = SqliteNativeLibrary.copyIn(dataDir);
        assertNotNull(library, "this platform's library is in the driver's jar");
        Path current = library.getParent();
        // a start cut off while copying leaves a partial file; the next copy clears it
        Files.writeString(current.resolve("libsqlitejdbc.so123.partial"), "half");
        Files.delete(library);

        assertEquals(library, SqliteNativeLibrary.copyIn(dataDir));

        byte[] expected;
        try (InputStream in = SqliteNativeLibrary.resource()) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, Files.readAllBytes(library));
        assertFalse(Files.exists(old), "the older version's copy is removed");
        try (Stream<Path> left = Files.list(current)) {
            assertEquals(List.of(library), left.toList(), "nothing but the library");
        }
    }

    @Test
    void a_copy_already_there_is_used_as_it_is() throws Exception {
        Path library = SqliteNativeLibrary.copyIn(dataDir);
        FileTime made = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, made);

        assertEquals(library, SqliteNativeLibrary.copyIn(dataDir));
        assertEquals(made, Files.getLastModifiedTime(library), "not written again");
        assertTrue(library.startsWith(dataDir.resolve("native")));
    }
}
