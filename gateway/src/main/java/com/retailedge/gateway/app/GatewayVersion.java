package com.retailedge.gateway.app;

/** The gateway's version as the jar's manifest states it; {@code development} when run from classes. */
public final class GatewayVersion {
    private GatewayVersion() {}

    public static String text() {
        String version = GatewayVersion.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
