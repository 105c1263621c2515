package com.retailedge.gateway.config;

import com.retailedge.gateway.domain.DeviceKind;
import java.util.Map;

/**
 * A device registered by the config file, for stores that start offline. {@code count} > 0 expands
 * {@code {n}} in the id to 1..count, so a fleet of fifty PDAs is one line.
 */
public record DeviceEntry(String deviceId, DeviceKind kind, int count, Map<String, String> attributes) {}
