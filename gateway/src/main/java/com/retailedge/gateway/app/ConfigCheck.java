package com.retailedge.gateway.app;

import com.retailedge.gateway.config.Durations;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.labels.push.ApPskFile;
import com.retailedge.gateway.security.DeviceCredentials;
import com.retailedge.gateway.security.PemTls;
import com.retailedge.gateway.security.PskKeys;
import com.retailedge.gateway.security.SecretChecks;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code --check-config}: what start-up would check, without starting or creating anything: every file the
 * config names exists, parses and is private; the ports are free; secrets are not the shipped trial values.
 * The report is short text for a person at a console, ending in {@code OK} or the problems.
 */
final class ConfigCheck {
    private final GatewayConfig config;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    ConfigCheck(GatewayConfig config, List<String> loaderWarnings) {
        this.config = config;
        this.warnings.addAll(loaderWarnings);
    }

    /** Runs every check; true when start-up would find nothing wrong. */
    boolean run() {
        dataDir(config.dataDir());
        GatewayConfig.Mqtt mqtt = config.mqtt();
        if (mqtt.embedded()) {
            port("mqtt.port", PortCheck.tcp(mqtt.bind(), mqtt.port()), mqtt.port());
            if (mqtt.authRequired()) {
                file(() -> DeviceCredentials.load(mqtt.credentialsFile()));
            }
        }
        GatewayConfig.Coap coap = config.coap();
        if (coap.plain()) {
            port("coap.port", PortCheck.udp(coap.bind(), coap.port()), coap.port());
        }
        if (coap.dtls()) {
            port("coap.dtls-port", PortCheck.udp(coap.bind(), coap.dtlsPort()), coap.dtlsPort());
            file(() -> PskKeys.load(coap.pskFile()));
        }
        port(
                "http.port",
                PortCheck.tcp(config.http().bind(), config.http().port()),
                config.http().port());
        file(() -> ApPskFile.load(config.labels().apPskFile()));
        GatewayConfig.Cloud cloud = config.cloud();
        if (cloud.caFile() != null || cloud.certFile() != null) {
            file(() -> PemTls.context(cloud.caFile(), cloud.certFile(), cloud.keyFile()));
        }
        secrets();
        return problems.isEmpty();
    }

    /**
     * Secrets are judged by {@link SecretChecks}, the same rules start-up applies: a store install with trial or
     * weak secrets is a problem, a trial config gets them as warnings. Then what only an operator should hear.
     */
    private void secrets() {
        problems.addAll(SecretChecks.problems(config));
        warnings.addAll(SecretChecks.warnings(config));
        String cloudPassword = config.cloud().password();
        if (cloudPassword != null && cloudPassword.contains("change-me")) {
            warnings.add("cloud.password is the shipped trial value; set GATEWAY_CLOUD_PASSWORD for a store");
        }
        if (!config.cloud().url().startsWith("ssl://")) {
            warnings.add("cloud.url " + config.cloud().url() + " is not encrypted (ssl://)");
        }
        if (!config.mqtt().authRequired() && config.mqtt().embedded()) {
            warnings.add("mqtt.auth is off: any device may connect and publish (local trials only)");
        }
    }

    /** The report: what would run, then warnings, then the problems or OK. */
    String report(String source) {
        StringBuilder out = new StringBuilder();
        GatewayConfig.Mqtt mqtt = config.mqtt();
        GatewayConfig.Coap coap = config.coap();
        GatewayConfig.Cloud cloud = config.cloud();
        line(out, "config", source + ", store " + config.storeId());
        line(
                out,
                "mqtt",
                mqtt.embedded()
                        ? "embedded broker on " + mqtt.bind() + ":" + mqtt.port() + ", device login "
                                + (mqtt.authRequired() ? "required (" + mqtt.credentialsFile() + ")" : "off")
                        : "external broker " + mqtt.url());
        line(
                out,
                "coap",
                (coap.plain() ? "plain on " + coap.bind() + ":" + coap.port() : "plain off") + ", "
                        + (coap.dtls() ? "DTLS on port " + coap.dtlsPort() + " (" + coap.pskFile() + ")" : "no DTLS"));
        line(out, "http", config.http().bind() + ":" + config.http().port());
        line(
                out,
                "cloud",
                cloud.url() + " as " + cloud.clientId() + ", window " + cloud.window() + ", heartbeat "
                        + Durations.format(cloud.heartbeat())
                        + (cloud.certFile() == null ? "" : ", client certificate " + cloud.certFile()));
        line(out, "data", config.dataDir().toAbsolutePath().toString());
        line(out, "devices", config.devices().size() + " configured entries");
        for (String warning : warnings) {
            out.append("warning: ").append(warning).append('\n');
        }
        if (problems.isEmpty()) {
            out.append("OK\n");
        } else {
            for (String problem : problems) {
                out.append("problem: ").append(problem).append('\n');
            }
            out.append(problems.size())
                    .append(problems.size() == 1 ? " problem" : " problems")
                    .append(": the gateway would not start\n");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String text) {
        out.append(String.format("%-8s %s%n", name, text));
    }

    private void port(String key, String problem, int port) {
        if (problem != null) {
            problems.add(key + " " + port + " is " + problem);
        }
    }

    /** The same loader start-up uses, so a file that start-up would refuse is refused here with its message. */
    private void file(FileLoad load) {
        try {
            load.run();
        } catch (IOException | RuntimeException e) {
            problems.add(e.getMessage());
        }
    }

    /** Start-up creates a missing data directory 0700; one that exists must be a private directory. */
    private void dataDir(Path dir) {
        if (!Files.exists(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            while (parent != null && !Files.exists(parent)) {
                parent = parent.getParent();
            }
            if (parent == null || !Files.isWritable(parent)) {
                problems.add(
                        "data directory " + dir.toAbsolutePath() + " (data.dir) does not exist and cannot be created");
            }
            return;
        }
        if (!Files.isDirectory(dir)) {
            problems.add("data directory " + dir.toAbsolutePath() + " (data.dir) is not a directory");
            return;
        }
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            if (!PosixFilePermissions.toString(permissions).substring(3).equals("------")) {
                problems.add("data directory " + dir.toAbsolutePath() + " (data.dir) is open to group or others (mode "
                        + PosixFilePermissions.toString(permissions) + "); run: chmod 700 " + dir.toAbsolutePath());
            }
        } catch (IOException e) {
            problems.add("data directory " + dir.toAbsolutePath() + " (data.dir): " + e.getMessage());
        }
    }

    /** A start-up loader whose result is not needed here. */
    @FunctionalInterface
    private interface FileLoad {
        Object run() throws IOException;
    }
}
