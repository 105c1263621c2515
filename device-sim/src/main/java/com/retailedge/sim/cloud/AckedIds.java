package com.retailedge.sim.cloud;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads a file written by {@code devices --acked-log}: one msgId per line, blanks ignored. */
public final class AckedIds {
    private AckedIds() {}

    /** The msgIds in file order, without repeats. */
    public static Set<String> read(Path file) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (!t.isEmpty()) {
                ids.add(t);
            }
        }
        return ids;
    }
}
