package com.retailedge.gateway.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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

    public static Optional<DeviceKind> fromWire(String text) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(text)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(DeviceKind::wire).toList();
    }
}
