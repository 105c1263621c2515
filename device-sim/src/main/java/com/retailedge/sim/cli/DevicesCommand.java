package com.retailedge.sim.cli;

import com.retailedge.sim.device.Fleet;
import com.retailedge.sim.device.MessageFactory;
import com.retailedge.sim.device.SimMessage;
import com.retailedge.sim.stats.AckedLog;
import com.retailedge.sim.stats.Counters;
import com.retailedge.sim.stats.RateMeter;
import com.retailedge.sim.transport.CoapPoster;
import com.retailedge.sim.transport.MqttPool;
import com.retailedge.sim.transport.Outcome;
import com.retailedge.sim.transport.Pacer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code devices}: drives simulated devices against a gateway at a steady rate. */
@Command(
        name = "devices",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Drive simulated PDAs, shelf buttons, cameras and shelf labels against a gateway (MQTT + CoAP).",
            "",
            "Traffic mix: ~50%% PDA scans (valid EAN-13 barcodes), 20%% button presses, 10%% camera"
                    + " recognitions, 20%% label status reports. PDAs also report state idle once at start."
                    + " MQTT messages use QoS 1 on store/{store}/{pda|button|camera|esl}/{id}/{channel};"
                    + " a share of presses and label reports go as confirmable CoAP POST /button/{id}/press"
                    + " and /esl/{id}/status instead.",
            "Presses carry 'at' (when pressed) and 'battery'; with --bounce-share some bounce. Cameras"
                    + " recognise members 1..200 by face, QR or card; 'members' sends the gateway a cache of"
                    + " members 1..N, so some recognitions are of known members and some unknown.",
            "Every payload carries msgId = {deviceId}-{counter}-{runId} (runId random per run) and"
                    + " sentAt (epoch ms).",
            "Progress is printed every second: sent, acked (MQTT PUBACK or CoAP 2.04), rejected"
                    + " (CoAP 4.xx), refused (PDA replies with result rejected: the gateway kept the scan as a dead"
                    + " letter although MQTT acknowledged it), failed (not connected, timeout), current rate."
                    + " At the end PDAs report state off. Exit code 0."
        })
final class DevicesCommand implements Callable<Integer> {
    private static final Duration ACK_DRAIN = Duration.ofSeconds(15);

    @Mixin
    DeviceOptions opts;

    @Option(
            names = "--coap",
            defaultValue = "coap://127.0.0.1:5683",
            description = "Gateway CoAP server (default: ${DEFAULT-VALUE}).")
    String coapUrl;

    @Option(
            names = "--coap-share",
            defaultValue = "0.2",
            description = "Fraction 0..1 of button presses and label reports sent over CoAP instead of"
                    + " MQTT (default: ${DEFAULT-VALUE}).")
    double coapShare;

    @Option(
            names = "--bad-share",
            defaultValue = "0.0",
            description = "Fraction 0..1 of deliberately bad messages: not JSON, missing field, wrong"
                    + " type, bad barcode check digit, unknown device id, payload over 64 KiB"
                    + " (default: ${DEFAULT-VALUE}).")
    double badShare;

    @Option(
            names = "--bounce-share",
            defaultValue = "0.0",
            description = "Fraction 0..1 of button presses that bounce: sent again at once with the same"
                    + " gesture and 'at' time and a new msgId; the gateway acknowledges and debounces the copy"
                    + " (default: ${DEFAULT-VALUE}).")
    double bounceShare;

    @Option(
            names = "--kinds",
            split = ",",
            defaultValue = "pda,button,camera,esl",
            description = "Device kinds that send traffic (default: ${DEFAULT-VALUE}).")
    List<String> kinds;

    @Option(
            names = "--acked-log",
            paramLabel = "FILE",
            description = "Append the msgId of every valid message the gateway acknowledged (MQTT PUBACK"
                    + " or CoAP 2.04), one per line; feed it to 'cloud --expect-acked'.")
    Path ackedLog;

    @Override
    public Integer call() throws Exception {
        opts.validate();
        DeviceOptions.require(coapShare >= 0 && coapShare <= 1, "--coap-share must be within 0..1, got " + coapShare);
        DeviceOptions.require(badShare >= 0 && badShare <= 1, "--bad-share must be within 0..1, got " + badShare);
        DeviceOptions.require(
                bounceShare >= 0 && bounceShare <= 1, "--bounce-share must be within 0..1, got " + bounceShare);
        Random rnd = new Random(opts.seed);
        Fleet fleet = opts.fleet(DeviceOptions.kinds(kinds), rnd);
        MessageFactory factory = new MessageFactory(MessageFactory.newRunId());
        Counters counters = new Counters();
        RunControl control = new RunControl();
        int connections = Math.min(opts.mqttConnections, Math.max(1, opts.deviceCount()));
        System.out.printf(
                "run %s: store %s, %d PDAs, %d buttons, %d cameras, %d labels, %.1f msg/s for %s, MQTT %s"
                        + " (%d connections), CoAP %s (share %.2f), bad share %.2f%n",
                factory.runId(),
                opts.storeId,
                opts.pdas,
                opts.buttons,
                opts.cameras,
                opts.labels,
                opts.rate,
                opts.duration.isZero() ? "ever (Ctrl-C stops)" : Durations.format(opts.duration),
                opts.mqttUrl,
                connections,
                coapUrl,
                coapShare,
                badShare);

        try (MqttPool mqtt = new MqttPool(opts.mqttEndpoint(), "sim-" + factory.runId(), connections, 1000);
                CoapPoster coap = coapShare > 0 ? new CoapPoster(coapUrl) : null;
                AckedLog log = ackedLog == null ? null : new AckedLog(ackedLog);
                PdaReplies replies = new PdaReplies(opts.mqttEndpoint(), opts.storeId, factory.runId())) {
            if (opts.pdas > 0 && kinds.contains("pda")) {
                replies.listen();
            }
            mqtt.start(Duration.ofSeconds(10));
            System.out.printf("MQTT: %d of %d connections up%n", mqtt.connectedCount(), mqtt.size());
            TrafficDriver driver = new TrafficDriver(
                            fleet,
                            factory,
                            rnd,
                            opts.storeId,
                            mqtt,
                            coap,
                            coapShare,
                            badShare,
                            counters,
                            new TrafficDriver.Listener() {
                                @Override
                                public void outcome(SimMessage m, Outcome o) {
                                    if (log != null && o == Outcome.ACKED && m.valid()) {
                                        log.append(m.msgId());
                                    }
                                }
                            })
                    .bouncing(bounceShare);
            long start = System.nanoTime();
            driver.sendStartup();
            Pacer pacer = new Pacer(opts.rate, driver::sendNext);
            pacer.start();
            runUntilDone(control, counters, replies, log, start);
            pacer.close();
            double seconds = (System.nanoTime() - start) / 1e9;
            // the PDAs log off, so the gateway hands their orders to someone else at once
            driver.sendShutdown();
            drain(counters, log);
            Counters.Snapshot s = counters.snapshot();
            System.out.printf(
                    "summary: run=%s sending=%.1fs sent=%d bad=%d acked=%d rejected=%d refused=%d failed=%d unanswered=%d"
                            + " avgRate=%.1f/s%s%n",
                    factory.runId(),
                    seconds,
                    s.sent(),
                    s.bad(),
                    s.acked(),
                    s.rejected(),
                    replies.refused(),
                    s.failed(),
                    s.pending(),
                    s.sent() / seconds,
                    pacer.skipped() > 0 ? " skipped=" + pacer.skipped() : "");
            if (replies.refused() > 0) {
                System.out.println("refused by the gateway (kept as dead letters), by reason: " + replies.byReason());
            }
        } finally {
            control.finished();
        }
        return 0;
    }

    private void runUntilDone(RunControl control, Counters counters, PdaReplies replies, AckedLog log, long start)
            throws InterruptedException {
        long end = opts.duration.isZero() ? Long.MAX_VALUE : start + opts.duration.toNanos();
        RateMeter meter = new RateMeter();
        long nextPrint = start + 1_000_000_000L;
        while (!control.stopRequested() && System.nanoTime() < end) {
            long wake = Math.min(nextPrint, end);
            control.pause(Math.max(1, (wake - System.nanoTime()) / 1_000_000));
            if (System.nanoTime() >= nextPrint) {
                nextPrint += 1_000_000_000L;
                Counters.Snapshot s = counters.snapshot();
                System.out.printf(
                        "[%4ds] sent=%d acked=%d rejected=%d refused=%d failed=%d rate=%.1f/s%n",
                        (System.nanoTime() - start) / 1_000_000_000L,
                        s.sent(),
                        s.acked(),
                        s.rejected(),
                        replies.refused(),
                        s.failed(),
                        meter.update(s.sent()));
                if (log != null) {
                    log.flush();
                }
            }
        }
    }

    /** Waits for outstanding acknowledgements so the acked log is complete before exit. */
    private static void drain(Counters counters, AckedLog log) throws InterruptedException {
        long deadline = System.nanoTime() + ACK_DRAIN.toNanos();
        while (counters.snapshot().pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (log != null) {
            log.flush();
        }
    }
}
