package com.retailedge.gateway.api;

import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.spi.SummarySection;
import com.retailedge.gateway.store.DeviceRegistry;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The summary's {@code devices} part: per kind, how many are registered and how many of them are online now
 * (heard from within {@code api.online-window}; an access point also when it relayed a label's report);
 * current counts, whatever the window asked for.
 */
final class DevicesSection implements SummarySection {
    private final DeviceRegistry registry;
    private final DevicePresence presence;

    DevicesSection(DeviceRegistry registry, DevicePresence presence) {
        this.registry = registry;
        this.presence = presence;
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public Object compute(Connection c, long fromMs, long toMs) {
        long now = System.currentTimeMillis();
        Map<String, Map<String, Long>> kinds = new LinkedHashMap<>();
        for (DeviceKind kind : DeviceKind.values()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("registered", 0L);
            counts.put("online", 0L);
            kinds.put(kind.wire(), counts);
        }
        DeviceLiveness liveness = new DeviceLiveness(registry, presence, presence.onlineWindow());
        for (DeviceRegistry.Registration r : registry.all()) {
            Map<String, Long> counts = kinds.get(r.kind().wire());
            counts.merge("registered", 1L, Long::sum);
            if (liveness.isOnline(r, now)) {
                counts.merge("online", 1L, Long::sum);
            }
        }
        return kinds;
    }
}
