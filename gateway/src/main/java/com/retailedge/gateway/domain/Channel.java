package com.retailedge.gateway.domain;

/**
 * What a device message is about: the last segment of its topic or resource, tied to the kind of device
 * allowed to send it.
 */
public enum Channel {
    SCAN(DeviceKind.PDA, "pda", "scan"),
    PDA_STATUS(DeviceKind.PDA, "pda", "status"),
    PDA_ACK(DeviceKind.PDA, "pda", "ack"),
    SHORT(DeviceKind.PDA, "pda", "short"),
    SUBSTITUTE(DeviceKind.PDA, "pda", "substitute"),
    PRESS(DeviceKind.BUTTON, "button", "press"),
    RECOGNITION(DeviceKind.CAMERA, "camera", "recognition"),
    LABEL_STATUS(DeviceKind.LABEL, "esl", "status"),
    SALE(DeviceKind.POS, "pos", "sale");

    private final DeviceKind kind;
    private final String segment;
    private final String leaf;

    Channel(DeviceKind kind, String segment, String leaf) {
        this.kind = kind;
        this.segment = segment;
        this.leaf = leaf;
    }

    public DeviceKind kind() {
        return kind;
    }

    /** The topic or path segment that names the device kind: {@code esl} for labels. */
    public String segment() {
        return segment;
    }

    public String leaf() {
        return leaf;
    }

    /** PDA actions that the gateway answers on the PDA's reply topic. */
    public boolean answered() {
        return this == SCAN || this == SHORT || this == SUBSTITUTE;
    }

    public static java.util.Optional<Channel> of(String segment, String leaf) {
        for (Channel c : values()) {
            if (c.segment.equals(segment) && c.leaf.equals(leaf)) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
