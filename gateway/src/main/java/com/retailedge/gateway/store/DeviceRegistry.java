package com.retailedge.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.config.DeviceEntry;
import com.retailedge.gateway.domain.DeviceKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which device ids are registered for which kind, as bindings and the config file say. Kept in memory for
 * the hot path; changed only by the writer, in memory after commit.
 *
 * <p>The cloud's word wins: once a {@code bindings} command has bound a device (source {@code cloud}) or removed it
 * (a row in {@code device_removed}), the config file's {@code devices} section no longer touches that device, at
 * this start or any later one. The config file only fills in devices the cloud has never spoken about.
 */
public final class DeviceRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLOUD = "cloud";

    /** A registered device and its binding attributes (button action, label sku and ap, ap url). */
    public record Registration(String deviceId, DeviceKind kind, Map<String, Object> attributes) {}

    private final Map<String, Registration> devices = new ConcurrentHashMap<>();
    /**
     * The sorted ids of each kind, built on first use after a change. A staff notice goes to every PDA, and copying
     * the whole registry (ten thousand labels) per notice showed in the writer's profile.
     */
    private volatile IdsByKind idsByKind = new IdsByKind(-1, Map.of());
    /** Bumped by every change, so a snapshot built while one happened is not kept as current. */
    private final AtomicLong version = new AtomicLong();

    private record IdsByKind(long version, Map<DeviceKind, List<String>> ids) {}

    public static DeviceRegistry load(Connection c) throws SQLException {
        DeviceRegistry registry = new DeviceRegistry();
        // Many devices carry the same attributes (every staff-call button, every label not bound yet): parsed once.
        Map<String, Map<String, Object>> parsed = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT device_id, kind, attributes FROM device")) {
            while (rs.next()) {
                DeviceKind kind = DeviceKind.fromWire(rs.getString(2)).orElse(null);
                if (kind != null) {
                    String deviceId = rs.getString(1);
                    Map<String, Object> attributes =
                            parsed.computeIfAbsent(rs.getString(3), DeviceRegistry::readAttributes);
                    registry.devices.put(deviceId, new Registration(deviceId, kind, attributes));
                }
            }
        }
        return registry;
    }

    public Optional<Registration> find(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    public boolean isRegistered(String deviceId, DeviceKind kind) {
        Registration r = devices.get(deviceId);
        return r != null && r.kind() == kind;
    }

    /** A snapshot of every registered device. */
    public List<Registration> all() {
        return List.copyOf(devices.values());
    }

    /** The ids of the devices of {@code kind}, sorted: a snapshot, kept until the registry changes. */
    public List<String> ids(DeviceKind kind) {
        IdsByKind snapshot = idsByKind;
        long current = version.get();
        if (snapshot.version() != current) {
            Map<DeviceKind, List<String>> built = new EnumMap<>(DeviceKind.class);
            for (Registration r : devices.values()) {
                built.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r.deviceId());
            }
            built.replaceAll((k, ids) -> ids.stream().sorted().toList());
            snapshot = new IdsByKind(current, built);
            idsByKind = snapshot;
        }
        return snapshot.ids().getOrDefault(kind, List.of());
    }

    /** After commit: every change to the map goes through here or {@link #dropped}, so the id snapshot follows. */
    private void stored(Registration registration) {
        devices.put(registration.deviceId(), registration);
        version.incrementAndGet();
    }

    private void dropped(String deviceId) {
        devices.remove(deviceId);
        version.incrementAndGet();
    }

    public int size() {
        return devices.size();
    }

    public long count(DeviceKind kind) {
        return devices.values().stream().filter(r -> r.kind() == kind).count();
    }

    /** Writer thread: registers or re-binds a device, visible to readers once committed. */
    public void upsert(Tx tx, String deviceId, DeviceKind kind, Map<String, Object> attributes, String source)
            throws SQLException {
        PreparedStatement ps = tx.prepare(
                "INSERT INTO device (device_id, kind, attributes, source, updated_ms) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (device_id) DO UPDATE SET kind = excluded.kind, attributes = excluded.attributes, "
                        + "source = excluded.source, updated_ms = excluded.updated_ms");
        ps.setString(1, deviceId);
        ps.setString(2, kind.wire());
        ps.setString(3, writeAttributes(attributes));
        ps.setString(4, source);
        ps.setLong(5, System.currentTimeMillis());
        ps.executeUpdate();
        if (CLOUD.equals(source)) {
            PreparedStatement revive = tx.prepare("DELETE FROM device_removed WHERE device_id = ?");
            revive.setString(1, deviceId);
            revive.executeUpdate();
        }
        Registration registration = new Registration(deviceId, kind, Map.copyOf(attributes));
        tx.afterCommit(() -> stored(registration));
    }

    /**
     * Writer thread: registers a device from the config file unless the cloud has spoken about it (bound it or
     * removed it); a config entry changed since the last start still applies to a device only the config knows.
     */
    private void fillIn(Tx tx, String deviceId, DeviceKind kind, Map<String, Object> attributes) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO device (device_id, kind, attributes, source, updated_ms) "
                + "SELECT ?, ?, ?, 'config', ? WHERE NOT EXISTS (SELECT 1 FROM device_removed WHERE device_id = ?) "
                + "ON CONFLICT (device_id) DO UPDATE SET kind = excluded.kind, attributes = excluded.attributes, "
                + "updated_ms = excluded.updated_ms WHERE device.source = 'config' "
                + "AND (device.kind <> excluded.kind OR device.attributes <> excluded.attributes)");
        ps.setString(1, deviceId);
        ps.setString(2, kind.wire());
        ps.setString(3, writeAttributes(attributes));
        ps.setLong(4, System.currentTimeMillis());
        ps.setString(5, deviceId);
        if (ps.executeUpdate() > 0) {
            Registration registration = new Registration(deviceId, kind, Map.copyOf(attributes));
            tx.afterCommit(() -> stored(registration));
        }
    }

    /** Writer thread: unregisters a device the cloud removed, leaving a tombstone the config file cannot undo. */
    public void remove(Tx tx, String deviceId) throws SQLException {
        PreparedStatement ps = tx.prepare("DELETE FROM device WHERE device_id = ?");
        ps.setString(1, deviceId);
        ps.executeUpdate();
        PreparedStatement tomb = tx.prepare("INSERT INTO device_removed (device_id, removed_ms) VALUES (?, ?) "
                + "ON CONFLICT (device_id) DO UPDATE SET removed_ms = excluded.removed_ms");
        tomb.setString(1, deviceId);
        tomb.setLong(2, System.currentTimeMillis());
        tomb.executeUpdate();
        tx.afterCommit(() -> dropped(deviceId));
    }

    /**
     * Writer thread: registers the config file's devices, expanding {@code {n}} ranges, except those the cloud has
     * bound or removed.
     */
    public void registerConfigured(Tx tx, Iterable<DeviceEntry> entries) throws SQLException {
        for (DeviceEntry entry : entries) {
            Map<String, Object> attributes = Map.copyOf(entry.attributes());
            if (entry.count() == 0) {
                fillIn(tx, entry.deviceId(), entry.kind(), attributes);
            } else {
                for (int n = 1; n <= entry.count(); n++) {
                    fillIn(tx, entry.deviceId().replace("{n}", Integer.toString(n)), entry.kind(), attributes);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readAttributes(String json) {
        try {
            return Map.copyOf(JSON.readValue(json, Map.class));
        } catch (JsonProcessingException | RuntimeException e) {
            return Map.of();
        }
    }

    private static String writeAttributes(Map<String, Object> attributes) throws SQLException {
        try {
            return JSON.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new SQLException("device attributes cannot be written as JSON", e);
        }
    }
}
