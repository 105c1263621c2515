package com.retailedge.gateway.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown tables of a document, each with the heading it stands under, so a test can hold a table's rows to
 * what the code knows. A table is a run of lines starting with {@code |}: a header, a separator, then rows.
 */
public final class DocTables {
    private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");

    /** One table: the nearest heading above it, its header cells and its rows' cells. */
    public record Table(String heading, List<String> header, List<List<String>> rows) {
        /** The first column's key of every row: the text of its first {@code `code`} span (or the whole cell). */
        public List<String> keys() {
            List<String> keys = new ArrayList<>();
            for (List<String> row : rows) {
                keys.add(key(row.get(0)));
            }
            return keys;
        }
    }

    private DocTables() {}

    public static List<Table> read(Path file) throws IOException {
        List<Table> tables = new ArrayList<>();
        String heading = "";
        List<String> block = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("|")) {
                block.add(line);
                continue;
            }
            if (!block.isEmpty()) {
                tables.add(table(heading, block));
                block = new ArrayList<>();
            }
            if (line.startsWith("#")) {
                heading = line.replaceFirst("^#+\\s*", "");
            }
        }
        if (!block.isEmpty()) {
            tables.add(table(heading, block));
        }
        return tables;
    }

    /** The tables whose first header cell is {@code firstColumn}. */
    public static List<Table> withFirstColumn(List<Table> tables, String firstColumn) {
        return tables.stream()
                .filter(t -> !t.header().isEmpty() && t.header().get(0).equals(firstColumn))
                .toList();
    }

    public static String key(String cell) {
        Matcher m = FIRST_CODE.matcher(cell);
        return m.find() ? m.group(1) : cell.trim();
    }

    private static Table table(String heading, List<String> lines) {
        List<String> header = cells(lines.get(0));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 2; i < lines.size(); i++) {
            rows.add(cells(lines.get(i)));
        }
        return new Table(heading, header, rows);
    }

    /** Splits a row on {@code |}, except an escaped {@code \|} inside a cell. */
    private static List<String> cells(String line) {
        String body = line.trim();
        body = body.substring(1, body.endsWith("|") && body.length() > 1 ? body.length() - 1 : body.length());
        List<String> cells = new ArrayList<>();
        for (String cell : body.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }
}
