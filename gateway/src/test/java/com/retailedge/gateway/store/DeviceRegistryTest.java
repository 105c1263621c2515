package com.retailedge.gateway.store;

import com.retailedge.gateway.config.DeviceEntry;
import com.retailedge.gateway.domain.DeviceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The config file's {@code devices} only fill in devices the cloud never spoke about: at each start (a fresh
 * registry loaded from the same database) the cloud's bindings and removals stand, while a config entry that
 * changed still applies to the devices only the config knows.
 */
class DeviceRegistryTest {
    @TempDir
    Path dir;

    @Test
    void given_cloud_bindings_and_removals_when_the_config_is_registered_again_then_only_config_devices_change()
            throws Exception {
        Database database = Database.open(dir);
        List<DeviceEntry> config =
                List.of(new DeviceEntry("button-{n}", DeviceKind.BUTTON, 3, Map.of("action", "staff-call")));
        try (SqliteWriter writer = new SqliteWriter(database, 100, 1000, new SimpleMeterRegistry())) {
            writer.start();
            DeviceRegistry first = load(database);
            writer.submit(tx -> {
                        first.registerConfigured(tx, config);
                        return null;
                    })
                    .get();
            writer.submit(tx -> {
                        first.upsert(
                                tx,
                                "button-1",
                                DeviceKind.BUTTON,
                                Map.of("action", "reorder", "sku", "MILK", "qty", 6),
                                "cloud");
                        first.remove(tx, "button-2");
                        return null;
                    })
                    .get();

            // the next start, with an edited config entry
            List<DeviceEntry> edited =
                    List.of(new DeviceEntry("button-{n}", DeviceKind.BUTTON, 3, Map.of("action", "shelf-empty")));
            DeviceRegistry second = load(database);
            writer.submit(tx -> {
                        second.registerConfigured(tx, edited);
                        return null;
                    })
                    .get();
            DeviceRegistry third = load(database);
            for (DeviceRegistry r : List.of(second, third)) {
                assertEquals(
                        "reorder", r.find("button-1").orElseThrow().attributes().get("action"), "the cloud's binding");
                assertFalse(r.find("button-2").isPresent(), "removed by the cloud, not brought back by the config");
                assertEquals(
                        "shelf-empty",
                        r.find("button-3").orElseThrow().attributes().get("action"),
                        "a device only the config knows follows the edited entry");
            }

            // a later cloud binding of a removed device revives it; the config still does not touch it
            writer.submit(tx -> {
                        third.upsert(
                                tx,
                                "button-2",
                                DeviceKind.BUTTON,
                                Map.of("action", "reorder", "sku", "TEA", "qty", 2),
                                "cloud");
                        return null;
                    })
                    .get();
            DeviceRegistry fourth = load(database);
            writer.submit(tx -> {
                        fourth.registerConfigured(tx, config);
                        return null;
                    })
                    .get();
            assertTrue(fourth.isRegistered("button-2", DeviceKind.BUTTON));
            assertEquals(
                    "TEA",
                    load(database).find("button-2").orElseThrow().attributes().get("sku"));
        }
    }

    @Test
    void the_ids_of_a_kind_follow_every_binding_and_removal() throws Exception {
        Database database = Database.open(dir);
        try (SqliteWriter writer = new SqliteWriter(database, 100, 1000, new SimpleMeterRegistry())) {
            writer.start();
            DeviceRegistry registry = load(database);
            writer.submit(tx -> {
                        registry.registerConfigured(
                                tx,
                                List.of(
                                        new DeviceEntry("pda-{n}", DeviceKind.PDA, 3, Map.of()),
                                        new DeviceEntry("button-{n}", DeviceKind.BUTTON, 2, Map.of())));
                        return null;
                    })
                    .get();
            assertEquals(List.of("pda-1", "pda-2", "pda-3"), registry.ids(DeviceKind.PDA));
            assertEquals(List.of(), registry.ids(DeviceKind.CAMERA));

            writer.submit(tx -> {
                        registry.remove(tx, "pda-2");
                        registry.upsert(tx, "pda-0", DeviceKind.PDA, Map.of(), "cloud");
                        registry.upsert(tx, "button-1", DeviceKind.PDA, Map.of(), "cloud");
                        return null;
                    })
                    .get();
            assertEquals(List.of("button-1", "pda-0", "pda-1", "pda-3"), registry.ids(DeviceKind.PDA));
            assertEquals(List.of("button-2"), registry.ids(DeviceKind.BUTTON), "a device re-bound as another kind");
        }
    }

    private static DeviceRegistry load(Database database) throws Exception {
        try (Connection c = database.openReadConnection()) {
            return DeviceRegistry.load(c);
        }
    }
}
