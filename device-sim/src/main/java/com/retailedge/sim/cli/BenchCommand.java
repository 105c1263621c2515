package com.retailedge.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.retailedge.sim.cloud.CloudSubscriber;
import com.retailedge.sim.device.Fleet;
import com.retailedge.sim.device.MessageFactory;
import com.retailedge.sim.device.SimMessage;
import com.retailedge.sim.stats.CloudLatencyTracker;
import com.retailedge.sim.stats.Counters;
import com.retailedge.sim.stats.RateMeter;
import com.retailedge.sim.transport.MqttPool;
import com.retailedge.sim.transport.Outcome;
import com.retailedge.sim.transport.Pacer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench}: devices and cloud subscriber in one process, measuring device-to-cloud latency. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measure device-to-cloud latency and throughput in one process.",
            "",
            "Subscribes to the cloud broker first, then"
                    + " publishes device messages over MQTT (QoS 1; by default PDA scans and button presses"
                    + " only) and times each from just before publish to the arrival of the cloud event whose"
                    + " data.msgId equals its msgId.",
            "--raw matches raw device payloads forwarded unchanged on store/# instead (for measuring a"
                    + " plain Mosquitto bridge). --max sends as fast as possible with at most --window"
                    + " messages not yet seen at the cloud.",
            "Reports sent, received at cloud, sustained events/s over the measured interval (after"
                    + " --warmup), latency p50/p90/p99/p99.9/max in ms, and lost: acknowledged by the gateway"
                    + " but not seen after --drain."
        })
final class BenchCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions opts;

    @Option(
            names = "--cloud-url",
            defaultValue = "tcp://127.0.0.1:1884",
            description = "Cloud broker to subscribe on, tcp:// or ssl:// (default: ${DEFAULT-VALUE}).")
    String cloudUrl;

    @Mixin
    CloudOptions cloud;

    @Option(
            names = "--kinds",
            split = ",",
            defaultValue = "pda,button",
            description = "Device kinds that send traffic: pda, button, camera, esl (default: ${DEFAULT-VALUE}).")
    List<String> kinds;

    @Option(
            names = "--warmup",
            defaultValue = "5s",
            description =
                    "Sending before measuring starts; excluded from latency and throughput (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
            names = "--drain",
            defaultValue = "15s",
            description =
                    "After sending stops, wait up to this long for outstanding events (default: ${DEFAULT-VALUE}).")
    Duration drain;

    @Option(names = "--raw", description = "Subscribe to store/# and match raw device payloads' msgId.")
    boolean raw;

    @Option(names = "--max", description = "Ignore --rate: send as fast as the --window allows.")
    boolean max;

    @Option(
            names = "--window",
            defaultValue = "2000",
            description = "With --max, most messages outstanding at the cloud (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(
            names = "--window-timeout",
            defaultValue = "10s",
            description = "With --max, a message not seen at the cloud after this long stops holding a"
                    + " window slot, so messages the gateway never forwards cannot stall the run"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration windowTimeout;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    Path report;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        opts.validate();
        DeviceOptions.require(window >= 1, "--window must be at least 1, got " + window);
        Random rnd = new Random(opts.seed);
        Fleet fleet = opts.fleet(DeviceOptions.kinds(kinds), rnd);
        MessageFactory factory = new MessageFactory(MessageFactory.newRunId());
        Counters counters = new Counters();
        Semaphore permits = max ? new Semaphore(window) : null;
        CloudLatencyTracker tracker = new CloudLatencyTracker(permits);
        RunControl control = new RunControl();
        String topic = raw ? "store/#" : "retail/" + opts.storeId + "/events";
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "window-sweeper");
            t.setDaemon(true);
            return t;
        });
        int connections = Math.min(opts.mqttConnections, Math.max(1, opts.deviceCount()));
        try (CloudSubscriber sub = new CloudSubscriber(
                        cloud.endpoint(cloudUrl),
                        "sim-bench-" + factory.runId(),
                        topic,
                        (t, payload) -> tracker.arrived(msgIdOf(payload), System.nanoTime()));
                MqttPool mqtt = new MqttPool(opts.mqttEndpoint(), "sim-" + factory.runId(), connections, 1000)) {
            sub.start(15_000);
            System.out.printf("bench %s: cloud subscribed to %s on %s%n", factory.runId(), topic, cloudUrl);
            mqtt.start(Duration.ofSeconds(10));
            System.out.printf(
                    "MQTT: %d of %d connections up on %s; %s for %s after %s warmup%n",
                    mqtt.connectedCount(),
                    mqtt.size(),
                    opts.mqttUrl,
                    max ? "max rate, window " + window : opts.rate + " msg/s",
                    opts.duration.isZero() ? "ever (Ctrl-C stops)" : Durations.format(opts.duration),
                    Durations.format(warmup));
            TrafficDriver driver = new TrafficDriver(
                    fleet, factory, rnd, opts.storeId, mqtt, null, 0, 0, counters, new TrafficDriver.Listener() {
                        @Override
                        public void beforeSend(SimMessage m) {
                            tracker.sent(m.msgId(), System.nanoTime());
                        }

                        @Override
                        public void outcome(SimMessage m, Outcome o) {
                            if (o == Outcome.ACKED) {
                                tracker.acked(m.msgId());
                            } else {
                                tracker.failed(m.msgId());
                            }
                        }
                    });
            long start = System.nanoTime();
            tracker.measureFrom(start + warmup.toNanos());
            AutoCloseable sender = max ? startMaxSender(driver, permits, mqtt) : startPacer(driver);
            if (max) {
                sweeper.scheduleAtFixedRate(
                        () -> tracker.expireOlderThan(windowTimeout.toNanos(), System.nanoTime()),
                        100,
                        100,
                        TimeUnit.MILLISECONDS);
            }
            long end = opts.duration.isZero() ? Long.MAX_VALUE : start + warmup.toNanos() + opts.duration.toNanos();
            progress(control, counters, tracker, start, end);
            long stopped = System.nanoTime();
            tracker.measureUntil(stopped);
            sender.close();
            System.out.println("sending stopped; draining up to " + Durations.format(drain));
            long drainEnd = System.nanoTime() + drain.toNanos();
            while ((tracker.ackedOutstanding() > 0 || counters.snapshot().pending() > 0)
                    && System.nanoTime() < drainEnd
                    && !control.stopRequested()) {
                Thread.sleep(50);
            }
            double measured = Math.max(1e-9, (stopped - tracker.measureFromNanos()) / 1e9);
            Map<String, Object> result = result(factory.runId(), counters, tracker, measured);
            print(result);
            if (report != null) {
                json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), result);
            }
        } finally {
            sweeper.shutdownNow();
            control.finished();
        }
        return 0;
    }

    private AutoCloseable startPacer(TrafficDriver driver) {
        Pacer pacer = new Pacer(opts.rate, driver::sendNext);
        pacer.start();
        return pacer;
    }

    /** Sends as fast as window permits come back; one thread, so the driver stays single-threaded. */
    private AutoCloseable startMaxSender(TrafficDriver driver, Semaphore permits, MqttPool mqtt) {
        Thread t = new Thread(
                () -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                            if (mqtt.connectedCount() == 0) {
                                // Nothing could be delivered; do not burn the CPU counting failures.
                                permits.release();
                                Thread.sleep(50);
                                continue;
                            }
                            driver.sendNext();
                        }
                    } catch (InterruptedException e) {
                        // Asked to stop.
                    }
                },
                "max-sender");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            t.join(5_000);
        };
    }

    private void progress(RunControl control, Counters counters, CloudLatencyTracker tracker, long start, long end)
            throws InterruptedException {
        RateMeter sentRate = new RateMeter();
        RateMeter cloudRate = new RateMeter();
        long nextPrint = start + 1_000_000_000L;
        while (!control.stopRequested() && System.nanoTime() < end) {
            control.pause(Math.max(1, (Math.min(nextPrint, end) - System.nanoTime()) / 1_000_000));
            if (System.nanoTime() >= nextPrint) {
                nextPrint += 1_000_000_000L;
                Counters.Snapshot s = counters.snapshot();
                long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                System.out.printf(
                        "[%4ds]%s sent=%d acked=%d failed=%d cloud=%d rate=%.1f/s cloudRate=%.1f/s p99=%.2fms%n",
                        elapsed,
                        System.nanoTime() < tracker.measureFromNanos() ? " warmup" : "",
                        s.sent(),
                        s.acked(),
                        s.failed(),
                        tracker.received(),
                        sentRate.update(s.sent()),
                        cloudRate.update(tracker.received()),
                        tracker.latency().count() == 0
                                ? 0.0
                                : tracker.latency().summaryMillis().get("p99"));
            }
        }
    }

    private Map<String, Object> result(String runId, Counters counters, CloudLatencyTracker tracker, double seconds) {
        Counters.Snapshot s = counters.snapshot();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("runId", runId);
        r.put("mode", (raw ? "raw" : "events") + (max ? "-max" : "-paced"));
        r.put("targetRate", max ? null : opts.rate);
        r.put("measuredSeconds", Math.round(seconds * 1000) / 1000.0);
        r.put("sent", s.sent());
        r.put("acked", s.acked());
        r.put("failed", s.failed());
        r.put("receivedAtCloud", tracker.received());
        r.put("receivedInInterval", tracker.receivedInInterval());
        r.put("sustainedPerSecond", Math.round(tracker.receivedInInterval() / seconds * 10) / 10.0);
        r.put("latencySamples", tracker.latency().count());
        r.put("latencyMs", tracker.latency().summaryMillis());
        r.put("lost", tracker.ackedOutstanding());
        r.put("lostSample", tracker.ackedOutstandingSample(20));
        r.put("unconfirmed", tracker.unackedOutstanding());
        r.put("unmatchedArrivals", tracker.unmatched());
        return r;
    }

    private static void print(Map<String, Object> r) {
        System.out.printf(
                "summary: mode=%s sent=%s acked=%s failed=%s cloud=%s sustained=%s/s over %ss%n",
                r.get("mode"),
                r.get("sent"),
                r.get("acked"),
                r.get("failed"),
                r.get("receivedAtCloud"),
                r.get("sustainedPerSecond"),
                r.get("measuredSeconds"));
        System.out.printf("latency ms (%s samples): %s%n", r.get("latencySamples"), r.get("latencyMs"));
        System.out.printf(
                "lost=%s (acked, never seen at cloud) unconfirmed=%s unmatchedArrivals=%s%n",
                r.get("lost"), r.get("unconfirmed"), r.get("unmatchedArrivals"));
        @SuppressWarnings("unchecked")
        List<String> sample = (List<String>) r.get("lostSample");
        for (String id : sample) {
            System.out.println("  lost: " + id);
        }
    }

    /** The msgId a cloud message refers to: {@code data.msgId} of an event, or top-level in raw mode. */
    private String msgIdOf(byte[] payload) {
        try {
            JsonNode n = json.readTree(payload);
            JsonNode id = raw ? n.path("msgId") : n.path("data").path("msgId");
            return id.isTextual() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
