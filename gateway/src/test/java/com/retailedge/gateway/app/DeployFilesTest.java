package com.retailedge.gateway.app;

import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The install files work on a fresh box: the sysusers entry creates the user the unit runs as, the unit passes
 * {@code systemd-analyze verify} and counts the JVM's SIGTERM exit (143) as a clean stop, and the image exposes
 * every port, checks health with the jar and does not point the cloud at the container itself.
 */
class DeployFilesTest {
    /** Surefire runs in the module directory; deploy/ is beside it. */
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void the_unit_passes_systemd_analyze_verify_and_stops_cleanly_on_sigterm() throws Exception {
        String unit = Files.readString(DEPLOY.resolve("retail-gateway.service"));
        assertTrue(unit.contains("\nSuccessExitStatus=143\n"), "the JVM exits 143 after SIGTERM: a clean stop");
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed here");
        Run verify = run(List.of(
                "systemd-analyze",
                "verify",
                DEPLOY.resolve("retail-gateway.service").toString()));
        assertEquals(0, verify.exitCode(), verify.output());
        assertFalse(
                verify.output().contains("retail-gateway.service:"), "no complaint about the unit: " + verify.output());
    }

    @Test
    void the_sysusers_entry_creates_the_user_and_group_the_unit_runs_as() throws Exception {
        String unit = Files.readString(DEPLOY.resolve("retail-gateway.service"));
        String user = value(unit, "User");
        assertEquals(user, value(unit, "Group"));
        assumeTrue(onPath("systemd-sysusers"), "systemd-sysusers is not installed here");
        Files.createDirectories(dir.resolve("etc"));
        Run sysusers = run(List.of(
                "systemd-sysusers",
                "--root=" + dir,
                DEPLOY.resolve("retail-gateway.sysusers").toString()));
        assertEquals(0, sysusers.exitCode(), sysusers.output());
        String passwd = Files.readString(dir.resolve("etc/passwd"));
        assertTrue(
                passwd.lines()
                        .anyMatch(l -> l.startsWith(user + ":")
                                && l.endsWith(":/usr/sbin/nologin")
                                && l.contains(":" + value(unit, "WorkingDirectory") + ":")),
                passwd);
        assertTrue(Files.readString(dir.resolve("etc/group")).lines().anyMatch(l -> l.startsWith(user + ":")));
    }

    @Test
    void the_image_exposes_every_port_checks_health_with_the_jar_and_takes_its_config_from_outside() throws Exception {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(dockerfile);
        assertTrue(expose.find(), dockerfile);
        assertEquals(
                List.of("1883", "5683/udp", "5684/udp", "8080"),
                List.of(expose.group(1).trim().split("\\s+")));
        assertTrue(dockerfile.contains("\"--health-check\", \"http://127.0.0.1:8080/health\""), dockerfile);
        assertTrue(
                dockerfile
                        .lines()
                        .filter(l -> !l.startsWith("#"))
                        .noneMatch(l -> l.contains("wget") || l.contains("curl")),
                "no tool the JRE image lacks");
        assertTrue(dockerfile.contains("GATEWAY_CONFIG=/etc/retail-gateway/gateway.yaml"), dockerfile);

        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) /etc/retail-gateway/gateway.yaml$")
                .matcher(dockerfile);
        assertTrue(copy.find(), dockerfile);
        GatewayConfig image = new ConfigLoader(Map.of()).load(DEPLOY.getParent().resolve(copy.group(1)));
        assertFalse(
                image.cloud().url().contains("127.0.0.1") || image.cloud().url().contains("localhost"),
                "the image's cloud is not the container itself: "
                        + image.cloud().url());
        assertEquals(Path.of("/data"), image.dataDir());
    }

    private static String value(String unit, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=(.+)$").matcher(unit);
        assertTrue(m.find(), name + " in the unit");
        return m.group(1).trim();
    }

    private static boolean onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }

    private record Run(int exitCode, String output) {}

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " ended");
        return new Run(process.exitValue(), output);
    }
}
