package com.retailedge.sim.stats;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends the msgId of every valid message the gateway acknowledged, one per line, so the cloud
 * verifier can later prove none of them was lost. Written from transport callback threads.
 */
public final class AckedLog implements Closeable {
    private final BufferedWriter out;

    /** Opens the file for appending, creating it if needed. */
    public AckedLog(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Records one acknowledged msgId. */
    public synchronized void append(String msgId) {
        try {
            out.write(msgId);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pushes buffered lines to disk; called every second so a killed run loses little. */
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
