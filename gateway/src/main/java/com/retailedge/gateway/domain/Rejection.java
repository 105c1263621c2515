package com.retailedge.gateway.domain;

/**
 * A typed refusal of bad input. Adapters map it to a PDA reply, a CoAP 4.xx or a dead letter; it carries
 * no stack trace because it is an expected outcome, not a fault.
 */
public final class Rejection extends Exception {
    private final RejectReason reason;

    public Rejection(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }

    @Override
    public String toString() {
        return reason.code() + ": " + getMessage();
    }
}
