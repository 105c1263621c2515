package com.retailedge.sim.cli;

import com.retailedge.sim.transport.MqttEndpoint;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How to reach the cloud broker: shared by {@code cloud} and {@code bench}. */
final class CloudOptions {
    @Option(names = "--cloud-username", description = "User name for the cloud broker.")
    String username;

    @Option(names = "--cloud-password", description = "Password for the cloud broker.")
    String password;

    @Option(
            names = "--cloud-ca",
            paramLabel = "PEM",
            description = "CA certificate(s) to trust for an ssl:// cloud URL (default: the JVM trust"
                    + " store, see -Djavax.net.ssl.trustStore).")
    Path caPem;

    MqttEndpoint endpoint(String url) {
        return new MqttEndpoint(url, username, password, caPem);
    }
}
