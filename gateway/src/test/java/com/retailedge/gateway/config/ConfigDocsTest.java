package com.retailedge.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.retailedge.gateway.docs.DocTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md and config/gateway.yaml are held to {@link ConfigKeys#ALL}: the key table has one row per
 * key and no other, each with the key's environment variable and built-in default, and the shipped file sets
 * every key to that default unless the table says what it ships instead.
 */
class ConfigDocsTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void every_key_is_documented_with_its_environment_variable_and_shipped() throws Exception {
        String docs = Files.readString(ROOT.resolve("docs/configuration.md"));
        String shipped = Files.readString(ROOT.resolve("config/gateway.yaml"));
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            assertTrue(docs.contains("`" + key.name() + "`"), key.name() + " missing from docs/configuration.md");
            assertTrue(docs.contains(key.environmentVariable()), key.environmentVariable() + " missing from docs");
            String leaf = key.name().substring(key.name().lastIndexOf('.') + 1);
            assertTrue(shipped.contains(leaf + ":"), key.name() + " missing from config/gateway.yaml");
        }
    }

    @Test
    void the_key_table_has_one_true_row_per_key_and_nothing_else() throws Exception {
        List<DocTables.Table> tables =
                DocTables.withFirstColumn(DocTables.read(ROOT.resolve("docs/configuration.md")), "key").stream()
                        .filter(t -> t.heading().equals("Keys"))
                        .toList();
        assertEquals(1, tables.size(), "one table under '## Keys'");
        Map<String, List<List<String>>> rows = new TreeMap<>();
        for (List<String> row : tables.get(0).rows()) {
            rows.computeIfAbsent(DocTables.key(row.get(0)), k -> new ArrayList<>())
                    .add(row);
        }
        JsonNode yaml = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("config/gateway.yaml").toFile());
        List<String> problems = new ArrayList<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            List<List<String>> found = rows.remove(key.name());
            if (found == null) {
                problems.add(key.name() + ": no row");
                continue;
            }
            if (found.size() > 1) {
                problems.add(key.name() + ": " + found.size() + " rows");
            }
            List<String> row = found.get(0);
            if (!DocTables.key(row.get(1)).equals(key.environmentVariable())) {
                problems.add(key.name() + ": variable " + row.get(1) + ", the code reads " + key.environmentVariable());
            }
            if (!DocTables.key(row.get(2)).equals(key.defaultValue())) {
                problems.add(key.name() + ": default " + row.get(2) + ", the code's is '" + key.defaultValue() + "'");
            }
            JsonNode value = at(yaml, key.name());
            boolean saysShipped = row.get(2).contains("shipped:");
            if (value == null) {
                problems.add(key.name() + ": not in config/gateway.yaml");
            } else if (!sameValue(value, key.defaultValue()) && !saysShipped) {
                problems.add(key.name() + ": config/gateway.yaml ships '" + value.asText() + "', the default is '"
                        + key.defaultValue() + "' and the table does not say '(shipped: ...)'");
            }
        }
        rows.keySet().forEach(unknown -> problems.add(unknown + ": a row for a key the gateway does not read"));
        assertEquals(List.of(), problems);
        assertFalse(ConfigKeys.ALL.isEmpty());
    }

    private static JsonNode at(JsonNode root, String dotted) {
        JsonNode node = root;
        for (String part : dotted.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    /** YAML's {@code 0.9} is the default {@code 0.90}; an empty default is an empty or null value. */
    private static boolean sameValue(JsonNode value, String defaultValue) {
        if (value.isNull()) {
            return defaultValue.isEmpty();
        }
        if (value.isNumber()) {
            try {
                return value.decimalValue().compareTo(new BigDecimal(defaultValue)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return value.asText().equals(defaultValue);
    }
}
