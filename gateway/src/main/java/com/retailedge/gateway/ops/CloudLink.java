package com.retailedge.gateway.ops;

/**
 * One of the gateway's links to the cloud as {@code /health} and the dashboard see it. The cloud adapter
 * implements it; status reads only this, never the adapter.
 */
public interface CloudLink {
    CloudLinkState state();

    /** The last error's message, or null. */
    String lastError();
}
