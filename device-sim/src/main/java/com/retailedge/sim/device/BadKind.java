package com.retailedge.sim.device;

/** The ways the simulator breaks a message on purpose, one per bad-input case of the contract. */
public enum BadKind {
    NOT_JSON,
    MISSING_FIELD,
    WRONG_TYPE,
    BAD_CHECK_DIGIT,
    UNKNOWN_DEVICE,
    OVERSIZE;

    /** Whether this kind of damage can be applied to a message of the given channel. */
    public boolean appliesTo(String channel) {
        return this != BAD_CHECK_DIGIT || "scan".equals(channel);
    }
}
