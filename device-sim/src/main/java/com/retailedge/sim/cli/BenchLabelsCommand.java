package com.retailedge.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.retailedge.sim.esl.AccessPointSimulator;
import com.retailedge.sim.esl.ApOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-labels}: simulated access points plus a price change through the gateway's REST API, timed until
 * every label reports its new version. The gateway must bind {@code esl-a{i}-{n}} (n = 1..labels-per-ap) to SKU
 * {@code SKU-{i}} on access point {@code ap-{i}} at the given ports; {@code --write-config} writes that file.
 */
@Command(
        name = "bench-labels",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Time a price change reaching every electronic shelf label, with the gateway's CPU and RSS meanwhile.",
            "",
            "Starts one simulated access point per --ap-ports entry (ap-1..ap-N), each hosting --labels-per-ap labels"
                    + " esl-a{i}-1.. with the given packet loss and check-in. Sets a first price for SKU-1..SKU-N (warm-up,"
                    + " also timed) and then changes them all, polling GET /api/v1/summary until every label is current.",
            "With --write-config FILE it only writes the gateway's devices config for the same layout and exits."
        })
public final class BenchLabelsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--ap-ports", split = ",", required = true, description = "UDP ports of the access points")
    List<Integer> apPorts;

    @Option(
            names = "--labels-per-ap",
            defaultValue = "1000",
            description = "labels per access point (default: ${DEFAULT-VALUE})")
    int labelsPerAp;

    @Option(names = "--write-config", description = "write the gateway's devices config to this file and exit")
    Path writeConfig;

    @Option(
            names = "--gateway-coap",
            defaultValue = "coap://127.0.0.1:5683",
            description = "where labels report status")
    String gatewayCoap;

    @Option(names = "--api", defaultValue = "http://127.0.0.1:8080", description = "the gateway's REST API")
    String api;

    @Option(names = "--admin-token", defaultValue = "store-admin-token-change-me")
    String adminToken;

    @Option(names = "--read-token", defaultValue = "cloud-read-token-change-me")
    String readToken;

    @Option(
            names = "--loss",
            defaultValue = "0.05",
            description = "packet loss per datagram, in and out (default: ${DEFAULT-VALUE})")
    double loss;

    @Option(
            names = "--latency",
            defaultValue = "0",
            description = "one-way latency per datagram (default: ${DEFAULT-VALUE})")
    Duration latency;

    @Option(
            names = "--check-in",
            defaultValue = "0",
            description = "radio check-in interval (default: ${DEFAULT-VALUE})")
    Duration checkIn;

    @Option(
            names = "--timeout",
            defaultValue = "120s",
            description = "give up waiting after this (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--gateway-pid", description = "pid of the gateway, for CPU and RSS from /proc")
    Long gatewayPid;

    @Option(names = "--clk-tck", defaultValue = "100", description = "clock ticks per second of /proc/PID/stat")
    int clkTck;

    @Option(names = "--report", description = "write the results as JSON here")
    Path report;

    @Option(
            names = "--psk",
            description = "identity:hexkey: the access points serve content over DTLS (coaps) to this"
                    + " PSK only, and --write-config binds them with coaps:// urls"
                    + " (loss then applies to status reports only)")
    String psk;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        int aps = apPorts.size();
        if (writeConfig != null) {
            StringBuilder yaml = new StringBuilder("devices:\n");
            for (int i = 1; i <= aps; i++) {
                yaml.append("  - { deviceId: \"ap-")
                        .append(i)
                        .append("\", kind: ap, url: \"")
                        .append(psk == null ? "coap" : "coaps")
                        .append("://127.0.0.1:")
                        .append(apPorts.get(i - 1))
                        .append("\" }\n");
                yaml.append("  - { deviceId: \"esl-a")
                        .append(i)
                        .append("-{n}\", kind: label, count: ")
                        .append(labelsPerAp)
                        .append(", sku: \"SKU-")
                        .append(i)
                        .append("\", ap: \"ap-")
                        .append(i)
                        .append("\" }\n");
            }
            Files.writeString(writeConfig, yaml);
            return 0;
        }
        long total = (long) aps * labelsPerAp;
        List<AccessPointSimulator> fleet = new ArrayList<>();
        try {
            for (int i = 1; i <= aps; i++) {
                String prefix = "esl-a" + i + "-";
                ApOptions options = new ApOptions(
                        "ap-" + i,
                        apPorts.get(i - 1),
                        id -> id.startsWith(prefix),
                        gatewayCoap,
                        loss,
                        latency,
                        checkIn,
                        Set.of(),
                        Set.of());
                if (psk != null) {
                    int colon = psk.lastIndexOf(':');
                    options = options.withDtls(
                            psk.substring(0, colon), java.util.HexFormat.of().parseHex(psk.substring(colon + 1)));
                }
                AccessPointSimulator ap = new AccessPointSimulator(options);
                ap.start();
                fleet.add(ap);
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("accessPoints", aps);
            results.put("labels", total);
            results.put("loss", loss);
            results.put("checkIn", checkIn.toString());
            results.put("dtls", psk != null);
            System.out.printf(
                    "%d access points, %d labels, loss %.0f%%, check-in %s%n", aps, total, loss * 100, checkIn);
            results.put("firstPrices", phase("first prices (warm-up)", aps, "1.00", total));
            results.put("priceChange", phase("price change", aps, "0.90", total));
            long puts = fleet.stream().mapToLong(AccessPointSimulator::puts).sum();
            long reportsFailed = fleet.stream()
                    .mapToLong(AccessPointSimulator::reportsFailed)
                    .sum();
            results.put("putsReceivedByAps", puts);
            results.put("statusReportsGivenUp", reportsFailed);
            System.out.printf(
                    "PUTs handled by the access points: %d; status reports given up: %d%n", puts, reportsFailed);
            if (report != null) {
                JSON.writeValue(report.toFile(), results);
            }
            return 0;
        } finally {
            fleet.forEach(AccessPointSimulator::close);
        }
    }

    private Map<String, Object> phase(String name, int aps, String price, long total) throws Exception {
        ProcSampler sampler = gatewayPid == null ? null : new ProcSampler(gatewayPid, clkTck);
        long t0 = System.nanoTime();
        for (int i = 1; i <= aps; i++) {
            HttpResponse<String> r = put(
                    "/api/v1/prices/SKU-" + i,
                    "{\"name\":\"Item " + i + "\",\"price\":\"" + price + "\",\"currency\":\"EUR\"}");
            if (r.statusCode() != 200) {
                throw new IllegalStateException("price change answered " + r.statusCode() + ": " + r.body());
            }
        }
        long accepted = System.nanoTime();
        JsonNode labels;
        long deadline = t0 + timeout.toNanos();
        while (true) {
            labels = get("/api/v1/summary").get("labels");
            if (labels.get("current").asLong() == total && labels.get("pending").asLong() == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": not every label current within " + timeout + ": " + labels);
            }
            if (sampler != null) {
                sampler.sample();
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("secondsUntilAllCurrent", Math.round(seconds * 1000) / 1000.0);
        result.put("secondsForTheRestCalls", Math.round((accepted - t0) / 1e6) / 1000.0);
        result.put("failed", labels.get("failed").asLong());
        System.out.printf(
                "%s: all %d labels current after %.2f s (REST calls took %.2f s)",
                name, total, seconds, (accepted - t0) / 1e9);
        if (sampler != null) {
            sampler.sample();
            result.put("gatewayCpuCores", Math.round(sampler.cores() * 100) / 100.0);
            result.put("gatewayPeakRssMb", sampler.peakRssKb() / 1024);
            System.out.printf("; gateway CPU %.2f cores, peak RSS %d MB", sampler.cores(), sampler.peakRssKb() / 1024);
        }
        System.out.println();
        return result;
    }

    private HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + readToken)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** CPU (utime + stime) and RSS of a process from /proc, Linux only. */
    private static final class ProcSampler {
        private final long pid;
        private final int clkTck;
        private final long startNanos = System.nanoTime();
        private final long startTicks;
        private long lastTicks;
        private long lastNanos;
        private long peakRssKb;

        ProcSampler(long pid, int clkTck) throws IOException {
            this.pid = pid;
            this.clkTck = clkTck;
            this.startTicks = ticks();
            sample();
        }

        void sample() throws IOException {
            lastTicks = ticks();
            lastNanos = System.nanoTime();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        }

        double cores() {
            double seconds = (lastNanos - startNanos) / 1e9;
            return seconds <= 0 ? 0 : (lastTicks - startTicks) / (double) clkTck / seconds;
        }

        long peakRssKb() {
            return peakRssKb;
        }

        private long ticks() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        }
    }
}
