package com.retailedge.sim.device;

/** The device kinds of the contract, with the path segment each uses in topics and CoAP URIs. */
public enum DeviceKind {
    PDA("pda", 50),
    BUTTON("button", 20),
    CAMERA("camera", 10),
    LABEL("esl", 20);

    private final String segment;
    private final int trafficWeight;

    DeviceKind(String segment, int trafficWeight) {
        this.segment = segment;
        this.trafficWeight = trafficWeight;
    }

    /** The topic / URI segment, e.g. {@code esl} for labels; also the prefix of device ids. */
    public String segment() {
        return segment;
    }

    /** Relative share of all traffic: 50% scans, 20% presses, 10% recognitions, 20% label status. */
    public int trafficWeight() {
        return trafficWeight;
    }

    /** Parses a kind by its segment or enum name ({@code pda}, {@code button}, {@code camera}, {@code esl}/{@code label}). */
    public static DeviceKind parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        for (DeviceKind k : values()) {
            if (k.segment.equals(t)
                    || k.name().toLowerCase(java.util.Locale.ROOT).equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown device kind '" + text + "': use pda, button, camera or esl");
    }
}
