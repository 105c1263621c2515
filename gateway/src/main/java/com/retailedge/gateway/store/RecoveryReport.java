package com.retailedge.gateway.store;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a start-up recovery found and kept: where the damaged files went, what the check said, and how many rows
 * of each table were copied into the fresh database.
 */
public record RecoveryReport(
        long atMillis,
        Path movedTo,
        List<String> problems,
        Map<String, Long> rowsCopied,
        Map<String, String> tableErrors) {

    public long totalRowsCopied() {
        return rowsCopied.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The report as plain values, for {@code /health} and the {@code retail.gateway.recovered} event. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", java.time.Instant.ofEpochMilli(atMillis).toString());
        m.put("movedTo", movedTo.toString());
        m.put("problems", problems);
        m.put("rowsCopied", rowsCopied);
        m.put("totalRowsCopied", totalRowsCopied());
        m.put("tablesWithUnreadableRows", tableErrors);
        return m;
    }
}
