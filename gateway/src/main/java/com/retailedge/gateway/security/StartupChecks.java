package com.retailedge.gateway.security;

import com.retailedge.gateway.config.GatewayConfig;
import java.io.IOException;

/**
 * What start-up refuses before anything starts: a data directory or secret file that group or others can open, and
 * cloud TLS material that cannot be used. The data directory is created 0700 when missing.
 */
public final class StartupChecks {
    private StartupChecks() {
    }

    public static void run(GatewayConfig config) throws IOException {
        PrivateFiles.prepareDataDir(config.dataDir());
        if (config.mqtt().embedded() && config.mqtt().authRequired()) {
            PrivateFiles.requirePrivateFile(config.mqtt().credentialsFile(), "credentials file", "mqtt.credentials-file");
        }
        if (config.coap().dtls()) {
            PrivateFiles.requirePrivateFile(config.coap().pskFile(), "PSK file", "coap.psk-file");
        }
        GatewayConfig.Cloud cloud = config.cloud();
        if (cloud.caFile() != null || cloud.certFile() != null) {
            PemTls.context(cloud.caFile(), cloud.certFile(), cloud.keyFile());
        }
    }
}
