package com.retailedge.gateway.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md and config/gateway.yaml must name every key the gateway reads. */
class ConfigDocsTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void every_key_is_documented_with_its_environment_variable_and_shipped() throws Exception {
        String docs = Files.readString(ROOT.resolve("docs/configuration.md"));
        String shipped = Files.readString(ROOT.resolve("config/gateway.yaml"));
        for (ConfigKey key : ConfigKeys.ALL) {
            assertTrue(docs.contains("`" + key.name() + "`"), key.name() + " missing from docs/configuration.md");
            assertTrue(docs.contains(key.environmentVariable()), key.environmentVariable() + " missing from docs");
            String leaf = key.name().substring(key.name().lastIndexOf('.') + 1);
            assertTrue(shipped.contains(leaf + ":"), key.name() + " missing from config/gateway.yaml");
        }
    }
}
