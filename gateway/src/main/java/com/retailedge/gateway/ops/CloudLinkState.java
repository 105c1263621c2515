package com.retailedge.gateway.ops;

/** What the cloud link is doing, for /health, metrics and the dashboard. */
public enum CloudLinkState {
    CONNECTING,
    CONNECTED,
    DISCONNECTED,
    STOPPED
}
