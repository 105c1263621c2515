package com.retailedge.gateway.security;

import com.retailedge.gateway.config.GatewayConfig;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What start-up refuses before anything starts: a data directory or secret file that group or others can open, cloud
 * TLS material that cannot be used, and a store install with trial or weak secrets ({@link SecretChecks}). The data
 * directory is created 0700 when missing.
 */
public final class StartupChecks {
    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

    private StartupChecks() {}

    /** Throws naming the first thing wrong; returns the warnings a trial config starts with (for {@code /health}). */
    public static List<String> run(GatewayConfig config) throws IOException {
        List<String> problems = SecretChecks.problems(config);
        if (!problems.isEmpty()) {
            throw new IOException(
                    "a store install (mqtt.auth: required or coap.plain: false) does not start with trial "
                            + "or weak secrets: " + String.join("; ", problems));
        }
        PrivateFiles.prepareDataDir(config.dataDir());
        if (config.mqtt().embedded() && config.mqtt().authRequired()) {
            PrivateFiles.requirePrivateFile(
                    config.mqtt().credentialsFile(), "credentials file", "mqtt.credentials-file");
        }
        if (config.coap().dtls()) {
            PrivateFiles.requirePrivateFile(config.coap().pskFile(), "PSK file", "coap.psk-file");
        }
        GatewayConfig.Cloud cloud = config.cloud();
        if (cloud.caFile() != null || cloud.certFile() != null) {
            PemTls.context(cloud.caFile(), cloud.certFile(), cloud.keyFile());
        }
        List<String> warnings = SecretChecks.warnings(config);
        warnings.forEach(w -> LOG.warn("trial configuration, not for a store: {}", w));
        return warnings;
    }
}
