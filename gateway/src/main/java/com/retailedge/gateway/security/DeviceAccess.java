package com.retailedge.gateway.security;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.store.DeviceRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an authenticated device may do, by its id and the kind the registry has it as. A device publishes only
 * under {@code store/{s}/{itsKind}/{itsId}/...} and subscribes only to its own reply, task and notify topics. An
 * access point may also speak for the labels bound to it ({@code esl/{labelId}/status}), because it relays their
 * status reports. The same rule decides which CoAP paths a DTLS identity may post to.
 */
public final class DeviceAccess {
    /** The last topic segments the gateway itself publishes on ({@code store/{s}/pda/{id}/reply}...); no device may. */
    public static final Set<String> GATEWAY_OUTPUT = Set.of("reply", "task", "notify");

    private static final Set<String> OWN_SUBSCRIPTIONS = Set.of("reply", "task", "notify", "+", "#");
    private static final Map<DeviceKind, String> SEGMENTS = new EnumMap<>(DeviceKind.class);

    static {
        // A kind's topic segment is its channel's (esl for labels), else its wire name (ap).
        for (DeviceKind k : DeviceKind.values()) {
            SEGMENTS.put(k, k.wire());
        }
        for (Channel c : Channel.values()) {
            SEGMENTS.put(c.kind(), c.segment());
        }
    }

    private final String storePrefix;
    private final DeviceRegistry registry;

    public DeviceAccess(String storeId, DeviceRegistry registry) {
        this.storePrefix = "store/" + storeId + "/";
        this.registry = registry;
    }

    /** May {@code deviceId} publish on {@code topic}? */
    public boolean mayPublish(String deviceId, String topic) {
        String[] parts = deviceParts(topic);
        if (parts == null || parts.length < 3 || GATEWAY_OUTPUT.contains(parts[parts.length - 1])) {
            return false;
        }
        if (parts[1].equals(deviceId)) {
            return parts[0].equals(ownSegment(deviceId));
        }
        return parts.length == 3 && isRelayedLabelStatus(deviceId, parts[0], parts[1], parts[2]);
    }

    /** May {@code deviceId} subscribe to {@code filter}? Only its own output topics, no wildcard above its id. */
    public boolean maySubscribe(String deviceId, String filter) {
        String[] parts = deviceParts(filter);
        return parts != null
                && parts.length == 3
                && parts[1].equals(deviceId)
                && parts[0].equals(ownSegment(deviceId))
                && OWN_SUBSCRIPTIONS.contains(parts[2]);
    }

    /**
     * May {@code deviceId} be handed a message published on {@code topic}? Only on its own reply, task and notify
     * topics (and below them): what the gateway sends that device.
     */
    public boolean mayReceive(String deviceId, String topic) {
        String[] parts = deviceParts(topic);
        return parts != null
                && parts.length >= 3
                && parts[1].equals(deviceId)
                && parts[0].equals(ownSegment(deviceId))
                && GATEWAY_OUTPUT.contains(parts[2]);
    }

    /** May the DTLS identity {@code identity} send the message addressed to {@code target}? */
    public boolean mayActFor(String identity, DeviceAddress target) {
        if (target.deviceId().equals(identity)) {
            return true;
        }
        Channel channel = target.channel();
        return isRelayedLabelStatus(identity, channel.segment(), target.deviceId(), channel.leaf());
    }

    private boolean isRelayedLabelStatus(String apId, String segment, String labelId, String leaf) {
        if (!segment.equals(Channel.LABEL_STATUS.segment())
                || !leaf.equals(Channel.LABEL_STATUS.leaf())
                || !registry.isRegistered(apId, DeviceKind.AP)) {
            return false;
        }
        return registry.find(labelId)
                .filter(label -> label.kind() == DeviceKind.LABEL)
                .map(label -> apId.equals(String.valueOf(label.attributes().get("ap"))))
                .orElse(false);
    }

    private String ownSegment(String deviceId) {
        return registry.find(deviceId).map(r -> SEGMENTS.get(r.kind())).orElse(null);
    }

    /** The segments after {@code store/{s}/}, or null for a topic outside this store. */
    private String[] deviceParts(String topic) {
        if (topic == null || !topic.startsWith(storePrefix)) {
            return null;
        }
        return Optional.of(topic.substring(storePrefix.length()))
                .map(rest -> rest.split("/", -1))
                .orElse(null);
    }
}
