package com.retailedge.gateway.it;

import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulators explain themselves: help without picocli warnings, counts that match what the gateway did
 * (refused scans are the gateway's dead letters), progress lines on a long run that ends near its
 * {@code --duration}, and PDAs that log out ({@code off}) when the run ends.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag("slow")
class SimulatorsTest {
    @TempDir
    Path dir;

    @Test
    void every_command_help_prints_without_picocli_warnings() throws Exception {
        for (String command : List.of("devices", "cloud", "bench", "aps", "bench-labels", "pickers", "members")) {
            Run help = sim(command, "--help");
            assertEquals(0, help.exitCode(), command + ": " + help.output());
            assertTrue(help.output().contains("Usage: device-sim " + command), help.output());
            assertFalse(help.output().contains("WARN"), command + " --help warns: " + help.output());
        }
    }

    @Test
    void devices_counts_the_scans_the_gateway_refused_and_its_pdas_log_out_at_the_end() throws Exception {
        try (InProcessGateway gateway = InProcessGateway.start(
                new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:1").set("GATEWAY_PICKING_ENABLED", "true"))) {
            // No orders in the store: every scan names an unknown order, is acknowledged (stored) and refused.
            Run run = sim(
                    "devices",
                    "--mqtt",
                    gateway.env().mqttUrl(),
                    "--kinds",
                    "pda",
                    "--pdas",
                    "3",
                    "--buttons",
                    "0",
                    "--cameras",
                    "0",
                    "--labels",
                    "0",
                    "--rate",
                    "30",
                    "--duration",
                    "3s");
            assertEquals(0, run.exitCode(), run.output());
            Matcher summary = Pattern.compile("summary: .* acked=(\\d+) rejected=\\d+ refused=(\\d+) ")
                    .matcher(run.output());
            assertTrue(summary.find(), run.output());
            long refused = Long.parseLong(summary.group(2));
            assertTrue(refused > 10, run.output());
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            await().atMost(Duration.ofSeconds(20)).until(() -> pdaDeadLetters(api) == refused);
            assertTrue(run.output().contains("by reason: {unknown-order=" + refused + "}"), run.output());
            assertEquals(List.of("off", "off", "off"), pdaStates(gateway.env().dataDir()));
        }
    }

    @Test
    void pickers_prints_progress_and_ends_near_its_duration() throws Exception {
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway = InProcessGateway.start(
                        new GatewayEnv(dir.resolve("gateway"), cloud.url()).set("GATEWAY_PICKING_ENABLED", "true"))) {
            ApiClient api = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "CONNECTED"
                            .equals(api.json("/health").at("/cloud/state").asText()));
            long start = System.nanoTime();
            Run run = sim(
                    "pickers",
                    "--mqtt-url",
                    gateway.env().mqttUrl(),
                    "--cloud-url",
                    cloud.url(),
                    "--pdas",
                    "3",
                    "--rate",
                    "20",
                    "--orders",
                    "30",
                    "--skus",
                    "20",
                    "--duration",
                    "12s",
                    "--progress",
                    "2s");
            double seconds = (System.nanoTime() - start) / 1e9;
            // The child JVM's start and its connections come on top of the run itself.
            assertTrue(seconds >= 12 && seconds < 22, "took " + seconds + " s: " + run.output());
            long progressLines =
                    run.output().lines().filter(l -> l.startsWith("pickers: ")).count();
            assertTrue(progressLines >= 3, run.output());
            assertTrue(run.output().contains("\"scansSent\""), run.output());
            assertEquals(List.of("off", "off", "off"), pdaStates(gateway.env().dataDir()));
        }
    }

    private static long pdaDeadLetters(ApiClient api) {
        List<Map<String, Object>> rows = api.deadLetters();
        return rows.stream()
                .filter(r -> String.valueOf(r.get("deviceId")).startsWith("pda-"))
                .count();
    }

    private static List<String> pdaStates(Path dataDir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("gateway.db"));
                PreparedStatement ps = c.prepareStatement("SELECT state FROM pda_state ORDER BY pda_id")) {
            List<String> states = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.add(rs.getString(1));
                }
            }
            return states;
        }
    }

    private record Run(int exitCode, String output) {}

    /** device-sim as its own JVM, as a person runs it. */
    private static Run sim(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                "com.retailedge.sim.cli.DeviceSimMain"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "device-sim " + String.join(" ", args) + " ended");
        return new Run(process.exitValue(), output);
    }
}
