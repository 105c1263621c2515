package com.retailedge.gateway.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A device message's address, parsed from an MQTT topic {@code store/{storeId}/{kind}/{id}/{leaf}} or a CoAP
 * path {@code {kind}/{id}/{leaf}}.
 */
public record DeviceAddress(Channel channel, String deviceId) {
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static boolean isValidDeviceId(String id) {
        return DEVICE_ID.matcher(id).matches();
    }

    /** Parses a topic under {@code store/{storeId}/}; empty when it is not a device-to-gateway topic. */
    public static Optional<DeviceAddress> fromTopic(String storeId, String topic) {
        String prefix = "store/" + storeId + "/";
        if (!topic.startsWith(prefix)) {
            return Optional.empty();
        }
        return fromPath(topic.substring(prefix.length()));
    }

    /** Parses {@code {kind}/{id}/{leaf}}. */
    public static Optional<DeviceAddress> fromPath(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length != 3 || !isValidDeviceId(parts[1])) {
            return Optional.empty();
        }
        return Channel.of(parts[0], parts[2]).map(c -> new DeviceAddress(c, parts[1]));
    }
}
