package com.retailedge.gateway.config;

/**
 * One config key: its dotted name, its shipped default and what it means. The environment variable that
 * overrides it is derived from the name, as the contract fixes it.
 */
public record ConfigKey(String name, String defaultValue, String meaning) {

    /** {@code cloud.url} -> {@code GATEWAY_CLOUD_URL}. */
    public String environmentVariable() {
        return "GATEWAY_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
