package com.retailedge.gateway.ops;

import java.time.Instant;

/** Why the cloud link failed and when, for {@code /health} and the dashboard. */
public record LinkError(String message, Instant at) {}
