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
