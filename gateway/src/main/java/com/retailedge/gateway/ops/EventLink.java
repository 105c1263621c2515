package com.retailedge.gateway.ops;

import java.time.Instant;

/** The link that forwards events: what it has in flight and its errors, for {@code /health}. */
public interface EventLink extends CloudLink {
    /** Events published and not yet acknowledged by the cloud. */
    int inFlight();

    /** When {@link #lastError()} happened, or null. */
    Instant lastErrorAt();

    /** The error before the last one, or null: a flapping link shows two different causes. */
    LinkError previousError();
}
