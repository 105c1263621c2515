package com.retailedge.sim.picking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pickers}: PDAs that log in, take their pick lists and pick, measuring scan-to-reply at the PDA. */
@Command(
        name = "pickers",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Simulated pickers: sends a seeded catalog (prices) and online orders as cloud commands on the cloud"
                    + " broker, then logs --pdas PDAs in (status idle). Each PDA takes the first order of its pick list"
                    + " and scans its items one at a time, waiting for each reply, at most --rate scans/s over all PDAs;"
                    + " with probability --mistakes a scan is a wrong item, a bad check digit, an over-pick or a repeat"
                    + " of the previous msgId.",
            "Reports scans sent, replies by result and reason, orders finished and scan-to-reply latency"
                    + " p50/p90/p99/p99.9/max measured at the PDA. The gateway must be connected to --cloud-url and"
                    + " have picking enabled; PDA ids pda-1..pda-N must be registered."
        })
public final class PickersCommand implements Callable<Integer> {
    @Option(
            names = "--mqtt-url",
            defaultValue = "tcp://127.0.0.1:1883",
            description = "In-store broker (default: ${DEFAULT-VALUE}).")
    String mqttUrl;

    @Option(
            names = "--cloud-url",
            defaultValue = "tcp://127.0.0.1:1884",
            description = "Cloud broker the gateway takes commands from (default: ${DEFAULT-VALUE}).")
    String cloudUrl;

    @Option(names = "--store", defaultValue = "s001", description = "Store id (default: ${DEFAULT-VALUE}).")
    String storeId;

    @Option(names = "--pdas", defaultValue = "50", description = "PDAs pda-1..pda-N (default: ${DEFAULT-VALUE}).")
    int pdas;

    @Option(
            names = "--rate",
            defaultValue = "200",
            description = "Scans per second over all PDAs, at most (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            description = "How long the whole run takes, set-up and warm-up included (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "10s",
            description =
                    "Picking before measuring starts, part of --duration and at most a quarter of it; excluded from"
                            + " latency and rate (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
            names = "--progress",
            defaultValue = "5s",
            description = "How often a progress line goes to stderr; 0s for none (default: ${DEFAULT-VALUE}).")
    Duration progress;

    @Option(names = "--orders", defaultValue = "3000", description = "Online orders sent (default: ${DEFAULT-VALUE}).")
    int orders;

    @Option(names = "--skus", defaultValue = "500", description = "Catalog size (default: ${DEFAULT-VALUE}).")
    int skus;

    @Option(
            names = "--mistakes",
            defaultValue = "0.05",
            description = "Probability that a scan is a mistake, 0..1 (default: ${DEFAULT-VALUE}).")
    double mistakes;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (pdas < 1 || rate <= 0 || mistakes < 0 || mistakes > 1 || orders < 1 || skus < 10) {
            throw new IllegalArgumentException(
                    "need --pdas >= 1, --rate > 0, --mistakes 0..1, --orders >= 1, --skus >= 10");
        }
        long deadline = System.nanoTime() + duration.toNanos();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        Random rnd = new Random(seed);
        PickCatalog catalog = new PickCatalog(skus, runId, rnd);
        sendCommands(catalog);
        // Let the gateway apply the orders before the pickers log in.
        Thread.sleep(2_000);

        PickStats stats = new PickStats();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "pickers");
            t.setDaemon(true);
            return t;
        });
        long pauseNanos = (long) (pdas / rate * 1e9);
        List<PickerPda> pickers = new ArrayList<>();
        for (int i = 1; i <= pdas; i++) {
            pickers.add(new PickerPda(
                    "pda-" + i,
                    mqttUrl,
                    storeId,
                    runId,
                    catalog,
                    mistakes,
                    pauseNanos,
                    new Random(seed * 1000 + i),
                    stats,
                    scheduler));
        }
        logIn(pickers, deadline - duration.toNanos());
        // Warm-up and measuring both run inside --duration; progress lines cover the whole run.
        long warmupEnd = System.nanoTime() + Math.min(warmup.toNanos(), duration.toNanos() / 4);
        ProgressLine line = new ProgressLine(stats, deadline - duration.toNanos(), duration);
        long every = progress.toNanos();
        long nextLine = every > 0 ? System.nanoTime() + every : Long.MAX_VALUE;
        long start = deadline;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            if (!stats.measuring && now >= warmupEnd) {
                stats.measuring = true;
                start = now;
            }
            if (now >= nextLine) {
                System.err.println(line.text());
                nextLine += every;
            }
            long wake = Math.min(deadline, Math.min(nextLine, stats.measuring ? Long.MAX_VALUE : warmupEnd));
            Thread.sleep(Math.max(1, (wake - now) / 1_000_000));
        }
        double seconds = Math.max(0.001, (System.nanoTime() - start) / 1e9);
        // Scans in flight when the time is up are still measured: stop sending, then wait a little for their answers.
        pickers.forEach(PickerPda::finish);
        long drainEnd = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < drainEnd && pickers.stream().anyMatch(PickerPda::waiting)) {
            Thread.sleep(50);
        }
        stats.measuring = false;
        long unanswered = stats.unanswered.get()
                + pickers.stream().filter(PickerPda::waiting).count();
        pickers.forEach(PickerPda::stop);
        scheduler.shutdownNow();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pdas", pdas);
        result.put("warmupSeconds", Math.min(warmup.toSeconds(), duration.toSeconds() / 4));
        result.put("measuredSeconds", Math.round(seconds * 10) / 10.0);
        result.put("scansSent", stats.sent.sum());
        result.put("scansPerSecondMeasured", Math.round(stats.sentMeasured.sum() / seconds * 10) / 10.0);
        result.put("mistakes", stats.mistakes.sum());
        result.put("repliesMeasured", stats.latency.count());
        result.put("unanswered", unanswered);
        result.put("outcomes", stats.outcomes());
        result.put("ordersFinished", stats.ordersDone.sum());
        result.put("scanToReplyMs", stats.latency.summaryMillis());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = json.writeValueAsString(result);
        System.out.println(text);
        if (report != null) {
            java.nio.file.Files.writeString(report, text);
        }
        return unanswered == 0 ? 0 : 1;
    }

    /** Logs every PDA in at once: one after another, 50 MQTT connections took most of a 30 s run. */
    private static void logIn(List<PickerPda> pickers, long runStart) throws Exception {
        ExecutorService starts = Executors.newFixedThreadPool(Math.min(16, pickers.size()));
        try {
            List<Future<?>> started = new ArrayList<>();
            for (PickerPda pda : pickers) {
                started.add(starts.submit(() -> {
                    pda.start();
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get();
            }
        } finally {
            starts.shutdownNow();
        }
        System.err.println("pickers: " + pickers.size() + " PDAs logged in after "
                + Duration.ofNanos(System.nanoTime() - runStart).toMillis() + " ms");
    }

    private void sendCommands(PickCatalog catalog) throws Exception {
        MqttClient cloud = new MqttClient(cloudUrl, "pickers-backend-" + System.nanoTime(), new MemoryPersistence());
        cloud.connect();
        try {
            List<String> commands = new ArrayList<>(catalog.pricesCommands(500));
            commands.addAll(catalog.ordersCommands(orders, 100));
            String prefix = "retail/" + storeId + "/commands/";
            for (String command : commands) {
                MqttMessage m = new MqttMessage(command.getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                cloud.publish(prefix + (command.contains("\"prices\"") ? "prices" : "orders"), m);
            }
        } finally {
            cloud.disconnect();
            cloud.close();
        }
    }
}
