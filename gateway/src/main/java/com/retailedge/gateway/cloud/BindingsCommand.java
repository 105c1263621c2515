package com.retailedge.gateway.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.retailedge.gateway.cloud.CommandFields.array;
import static com.retailedge.gateway.cloud.CommandFields.bad;
import static com.retailedge.gateway.cloud.CommandFields.positive;
import static com.retailedge.gateway.cloud.CommandFields.text;

/** {@code bindings}: registers, re-binds or removes devices; all entries are checked before any is applied. */
final class BindingsCommand implements CommandHandler {
    private static final Set<String> BUTTON_ACTIONS = Set.of("reorder", "shelf-empty", "staff-call");

    private final DeviceRegistry registry;

    BindingsCommand(DeviceRegistry registry) {
        this.registry = registry;
    }

    /** One entry of the command; {@code remove} entries have no kind. */
    record Binding(String deviceId, DeviceKind kind, Map<String, Object> attributes, boolean remove) {}

    @Override
    public String apply(Tx tx, JsonNode command) throws Rejection, SQLException {
        List<Binding> bindings = new ArrayList<>();
        JsonNode list = array(command, "bindings");
        for (int i = 0; i < list.size(); i++) {
            bindings.add(read(list.get(i), "bindings[" + i + "]"));
        }
        ApReferences.check(registry, bindings);
        for (Binding b : bindings) {
            if (b.remove()) {
                registry.remove(tx, b.deviceId());
            } else {
                registry.upsert(tx, b.deviceId(), b.kind(), b.attributes(), "cloud");
            }
        }
        return bindings.size() + " bindings";
    }

    private static Binding read(JsonNode entry, String where) throws Rejection {
        if (!entry.isObject()) {
            throw bad(where + " must be an object");
        }
        String deviceId = text(entry, "deviceId", where);
        if (!DeviceAddress.isValidDeviceId(deviceId)) {
            throw bad(where + ": deviceId '" + deviceId + "' must be made of [A-Za-z0-9_-]{1,64}");
        }
        if (entry.path("remove").asBoolean(false)) {
            return new Binding(deviceId, null, Map.of(), true);
        }
        String kindText = text(entry, "kind", where);
        DeviceKind kind = DeviceKind.fromWire(kindText)
                .orElseThrow(() -> bad(where + ": kind '" + kindText + "' must be one of " + DeviceKind.wireNames()));
        Map<String, Object> attributes = new LinkedHashMap<>();
        switch (kind) {
            case BUTTON -> {
                String action = text(entry, "action", where);
                if (!BUTTON_ACTIONS.contains(action)) {
                    throw bad(where + ": action '" + action + "' must be one of "
                            + BUTTON_ACTIONS.stream().sorted().toList());
                }
                attributes.put("action", action);
                if (action.equals("reorder")) {
                    attributes.put("sku", text(entry, "sku", where));
                    attributes.put("qty", positive(entry, "qty", where));
                } else if (entry.hasNonNull("sku")) {
                    attributes.put("sku", text(entry, "sku", where));
                }
                // Optional: where the button is, shown to staff on its notices.
                if (entry.hasNonNull("aisle")) {
                    attributes.put("aisle", text(entry, "aisle", where));
                }
            }
            case LABEL -> {
                attributes.put("sku", text(entry, "sku", where));
                attributes.put("ap", text(entry, "ap", where));
            }
            case AP -> {
                String url = text(entry, "url", where);
                Optional<String> problem = ApUrl.problem(url);
                if (problem.isPresent()) {
                    throw bad(where + ": url '" + url + "' " + problem.get());
                }
                attributes.put("url", url);
            }
            default -> {}
        }
        return new Binding(deviceId, kind, attributes, false);
    }
}
