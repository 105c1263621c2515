package com.retailedge.gateway.cloud;

import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.store.DeviceRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static com.retailedge.gateway.cloud.CommandFields.bad;

/**
 * Keeps labels and their access points consistent across a {@code bindings} command, judged on the registry as it
 * will be once the whole command is applied: a label's {@code ap} must name a registered access point, and an access
 * point that still has labels bound to it cannot be removed (or re-bound as another kind). Either way the label
 * would never get its content, silently.
 */
final class ApReferences {
    /** How many label ids a refusal names before it says "and N more". */
    private static final int NAMED = 5;

    private ApReferences() {}

    static void check(DeviceRegistry registry, List<BindingsCommand.Binding> bindings) throws Rejection {
        // The command's last word per device; absent: the registry's. A null kind means removed.
        Map<String, BindingsCommand.Binding> planned = new HashMap<>();
        bindings.forEach(b -> planned.put(b.deviceId(), b));
        for (BindingsCommand.Binding b : bindings) {
            if (!b.remove() && b.kind() == DeviceKind.LABEL) {
                String ap = String.valueOf(b.attributes().get("ap"));
                if (kindAfter(registry, planned, ap).orElse(null) != DeviceKind.AP) {
                    throw bad("label '" + b.deviceId() + "': ap '" + ap + "' is not a registered access point (bind it "
                            + "as kind ap first, or in the same command)");
                }
            }
        }
        for (BindingsCommand.Binding b : planned.values()) {
            boolean wasAp = registry.isRegistered(b.deviceId(), DeviceKind.AP);
            if (!wasAp || !b.remove() && b.kind() == DeviceKind.AP) {
                continue;
            }
            TreeSet<String> stranded = new TreeSet<>();
            for (DeviceRegistry.Registration r : registry.all()) {
                if (r.kind() == DeviceKind.LABEL
                        && b.deviceId().equals(String.valueOf(r.attributes().get("ap")))
                        && !planned.containsKey(r.deviceId())) {
                    stranded.add(r.deviceId());
                }
            }
            if (!stranded.isEmpty()) {
                List<String> named = stranded.stream().limit(NAMED).toList();
                throw bad("access point '" + b.deviceId() + "' still has " + stranded.size() + " labels bound to it ("
                        + String.join(", ", named)
                        + (stranded.size() > NAMED ? ", and " + (stranded.size() - NAMED) + " more" : "")
                        + "): bind them to another access point or remove them first, or in the "
                        + "same command");
            }
        }
    }

    private static Optional<DeviceKind> kindAfter(
            DeviceRegistry registry, Map<String, BindingsCommand.Binding> planned, String deviceId) {
        BindingsCommand.Binding b = planned.get(deviceId);
        if (b != null) {
            return b.remove() ? Optional.empty() : Optional.of(b.kind());
        }
        return registry.find(deviceId).map(DeviceRegistry.Registration::kind);
    }
}
