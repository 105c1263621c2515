package com.retailedge.gateway.domain;

/** Why an input was refused; the code is what devices, dead letters and metrics show. */
public enum RejectReason {
    NOT_JSON("not-json"),
    NOT_OBJECT("not-object"),
    MISSING_FIELD("missing-field"),
    BAD_FIELD("bad-field"),
    UNKNOWN_DEVICE("unknown-device"),
    UNKNOWN_TOPIC("unknown-topic"),
    BAD_BARCODE("bad-barcode"),
    TOO_LARGE("too-large"),
    OUTBOX_FULL("outbox-full"),
    UNKNOWN_COMMAND("unknown-command"),
    BAD_COMMAND("bad-command"),
    // Picking rules: a well-formed PDA message that the store's orders refuse.
    UNKNOWN_ORDER("unknown-order"),
    ORDER_CLOSED("order-closed"),
    ORDER_NOT_YOURS("order-not-yours"),
    WRONG_ITEM("wrong-item"),
    OVER_PICK("over-pick"),
    LINE_DONE("line-done"),
    SUBSTITUTION_NOT_ALLOWED("substitution-not-allowed"),
    /** A sale line whose barcode the catalog does not know (the rest of the sale still counts). */
    UNKNOWN_BARCODE("unknown-barcode"),
    /** An authenticated device sent on a topic or path that is not its own (MQTT ACL, CoAP DTLS identity). */
    FORBIDDEN("forbidden");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
