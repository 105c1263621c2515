package com.retailedge.gateway.app;

import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.security.SecretChecks;

/**
 * The secrets part of {@code --check-config}: a store install with trial or weak secrets fails it as it would fail
 * start-up (exit 2, each key named on standard error); a trial config passes with its warnings printed.
 */
final class SecretCheckReport {
    private SecretCheckReport() {
    }

    /** Prints the findings; returns the exit code (0 or 2). */
    static int print(GatewayConfig config) {
        SecretChecks.warnings(config).forEach(w -> System.err.println("gateway: warning (trial configuration): " + w));
        var problems = SecretChecks.problems(config);
        problems.forEach(p -> System.err.println("gateway: " + p));
        return problems.isEmpty() ? 0 : 2;
    }
}
