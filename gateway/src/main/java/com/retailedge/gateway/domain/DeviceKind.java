package com.retailedge.gateway.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of device the registry knows, by their wire names in bindings and topics. */
public enum DeviceKind {
    PDA("pda"),
    BUTTON("button"),
    CAMERA("camera"),
    LABEL("label"),
    AP("ap"),
    POS("pos");

    private final String wire;

    DeviceKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** A map, not a stream over the values: the registry's load asks once per device (13,000 in a loaded store). */
    private static final Map<String, DeviceKind> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(DeviceKind::wire, k -> k));

    public static Optional<DeviceKind> fromWire(String text) {
        return Optional.ofNullable(text == null ? null : BY_WIRE.get(text));
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(DeviceKind::wire).toList();
    }
}
