package com.retailedge.gateway.store;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The note a clean stop leaves in the data directory ({@code clean-stop}): that the database was closed by the
 * gateway, after a start that checked it, and what the outbox held then (so the next start need not sum a million
 * pending events to know their size). A start takes the note (reads and deletes it) before it opens anything, so a
 * run that ends in a crash, a {@code kill -9} or a power cut leaves none, and the start after it checks the whole
 * database and counts the outbox again, as every start did before.
 */
public final class CleanStop {
    public static final String FILE_NAME = "clean-stop";

    private CleanStop() {}

    /** Reads and removes the note; empty when the last run left none. The removal is on disk before this returns. */
    public static Optional<Map<String, Long>> take(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
        Files.delete(file);
        syncDirectory(dataDir);
        Map<String, Long> values = new TreeMap<>();
        Properties p = new Properties();
        try (Reader r = new StringReader(text)) {
            p.load(r);
        }
        for (String name : p.stringPropertyNames()) {
            try {
                values.put(name, Long.parseLong(p.getProperty(name).trim()));
            } catch (NumberFormatException e) {
                // a note this version does not understand: as if there were none
                return Optional.empty();
            }
        }
        return Optional.of(values);
    }

    /** Writes the note (to a new file, synced, then renamed over), once everything that writes the database stopped. */
    public static void write(Path dataDir, Map<String, Long> values) throws IOException {
        StringBuilder text = new StringBuilder("# written by the gateway's clean stop; deleted by its next start\n");
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(
                tmp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(StandardCharsets.UTF_8.encode(text.toString()));
            ch.force(true);
        }
        Files.move(
                tmp, dataDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dataDir);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
    }
}
