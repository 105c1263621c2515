package com.retailedge.gateway.security;

import com.retailedge.gateway.config.GatewayConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which secrets of a configuration are the shipped trial values or too weak to guard a store. A store install
 * (device logins required on MQTT, or CoAP only over DTLS) with such a secret must not start: each is a
 * {@link #problems problem} naming its key. A trial config (device authentication off) may use them, and gets the same
 * findings as {@link #warnings warnings} for the start-up log and {@code /health}. Start-up and
 * {@code --check-config} both ask this class, so they always agree.
 */
public final class SecretChecks {
    /** Shortest API token a store install accepts: 24 characters of a random token are far beyond guessing. */
    public static final int MIN_TOKEN_LENGTH = 24;
    /** The values shipped in {@code config/gateway.yaml} and the built-in defaults, public to anyone. */
    static final Map<String, String> TRIAL_VALUES = Map.of(
            "api.token", "cloud-read-token-change-me",
            "api.admin-token", "store-admin-token-change-me",
            "members.ref-key", "local-trial-member-key-change-me-0123456789");

    private SecretChecks() {}

    /** True when the config is a store install: devices must log in, or CoAP is encrypted only. */
    public static boolean isStoreInstall(GatewayConfig config) {
        return config.mqtt().authRequired() || !config.coap().plain();
    }

    /** What stops a store install from starting, one line per key; empty for a trial config or good secrets. */
    public static List<String> problems(GatewayConfig config) {
        return isStoreInstall(config) ? findings(config) : List.of();
    }

    /** What a trial config is told at start and in {@code /health}; empty for a store install (it does not start). */
    public static List<String> warnings(GatewayConfig config) {
        return isStoreInstall(config) ? List.of() : findings(config);
    }

    /** Every weak or trial secret, each naming its key and never its value. */
    static List<String> findings(GatewayConfig config) {
        List<String> found = new ArrayList<>();
        token(found, "api.token", config.api().token());
        token(found, "api.admin-token", config.api().adminToken());
        if (TRIAL_VALUES.get("members.ref-key").equals(config.members().refKey())) {
            found.add(
                    "members.ref-key is the shipped trial key: give the store its own (at least 32 random characters)");
        }
        return List.copyOf(found);
    }

    private static void token(List<String> found, String key, String value) {
        if (TRIAL_VALUES.get(key).equals(value)) {
            found.add(key + " is the shipped trial value: set a random token of at least " + MIN_TOKEN_LENGTH
                    + " characters (GATEWAY_" + envName(key) + " in the secrets file)");
        } else if (value.length() < MIN_TOKEN_LENGTH) {
            found.add(key + " is " + value.length() + " characters long: a store needs at least " + MIN_TOKEN_LENGTH);
        }
    }

    private static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
