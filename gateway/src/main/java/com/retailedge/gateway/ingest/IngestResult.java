package com.retailedge.gateway.ingest;

import com.retailedge.gateway.domain.Rejection;

/**
 * What became of a device message once it is durable: accepted, a repeat of one already accepted, or
 * rejected and kept as a dead letter. {@code reply} is the JSON answer for devices that hear one (PDAs).
 */
public record IngestResult(Outcome outcome, Rejection rejection, String reply) {
    public enum Outcome {
        ACCEPTED,
        DUPLICATE,
        REJECTED
    }

    public static IngestResult accepted(String reply) {
        return new IngestResult(Outcome.ACCEPTED, null, reply);
    }

    public static IngestResult duplicate(String reply) {
        return new IngestResult(Outcome.DUPLICATE, null, reply);
    }

    public static IngestResult rejected(Rejection rejection, String reply) {
        return new IngestResult(Outcome.REJECTED, rejection, reply);
    }

    public boolean isRejected() {
        return outcome == Outcome.REJECTED;
    }
}
