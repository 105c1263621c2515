package com.retailedge.gateway.api;

import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.store.DeviceRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When each registered device was last heard from, with access points credited for what they relay: an
 * access point sends little itself, but every status report of a label bound to it came through it, so it
 * counts as heard when one of its labels was. Built once per summary or snapshot.
 */
final class DeviceLiveness {
    private final DevicePresence presence;
    private final long windowMs;
    private final Map<String, Long> relayed = new HashMap<>();

    DeviceLiveness(DeviceRegistry registry, DevicePresence presence, Duration onlineWindow) {
        this.presence = presence;
        this.windowMs = onlineWindow.toMillis();
        for (DeviceRegistry.Registration r : registry.all()) {
            Object ap = r.attributes().get("ap");
            Long seen = presence.lastSeen(r.deviceId());
            if (r.kind() == DeviceKind.LABEL && ap != null && seen != null) {
                relayed.merge(ap.toString(), seen, Math::max);
            }
        }
    }

    /** Epoch millis of the last message from (or relayed by) the device; null when not heard since start. */
    Long lastSeen(DeviceRegistry.Registration r) {
        Long own = presence.lastSeen(r.deviceId());
        Long relay = r.kind() == DeviceKind.AP ? relayed.get(r.deviceId()) : null;
        if (own == null) {
            return relay;
        }
        return relay == null ? own : Math.max(own, relay);
    }

    boolean isOnline(DeviceRegistry.Registration r, long nowMs) {
        Long seen = lastSeen(r);
        return seen != null && seen >= nowMs - windowMs;
    }
}
