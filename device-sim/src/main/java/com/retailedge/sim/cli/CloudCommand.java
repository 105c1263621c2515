package com.retailedge.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.retailedge.sim.cloud.AckedIds;
import com.retailedge.sim.cloud.CloudSubscriber;
import com.retailedge.sim.cloud.CloudVerifier;
import com.retailedge.sim.cloud.VerifierReport;
import com.retailedge.sim.device.MessageFactory;
import com.retailedge.sim.stats.RateMeter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cloud}: subscribes to the gateway's cloud topic and checks every event against the contract. */
@Command(
        name = "cloud",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Verify the CloudEvents the gateway sends to the cloud broker.",
            "",
            "Subscribes (QoS 1, clean session) to"
                    + " retail/{store}/events and checks each message: JSON; CloudEvents 1.0 structured mode"
                    + " with specversion \"1.0\", id (UUID), source \"/stores/{store}\", type, time (ISO-8601),"
                    + " subject, data (object) and integer extension sequence.",
            "Reports received, distinct ids, duplicates (id seen again; allowed), missing (gaps between"
                    + " lowest and highest sequence), out-of-order (new event with a sequence below the highest"
                    + " seen), invalid (with the first reasons), counts by type, and with --expect-acked the"
                    + " acknowledged msgIds that never arrived as data.msgId (lost).",
            "Stops after --duration, or once --expect-count distinct events arrived, or after --idle"
                    + " without events once at least one arrived, or on Ctrl-C.",
            "Exit code 0 when nothing is invalid, missing, out of order or lost; 1 otherwise."
        })
final class CloudCommand implements Callable<Integer> {
    @Option(names = "--store", defaultValue = "s001", description = "Store id (default: ${DEFAULT-VALUE}).")
    String storeId;

    @Option(
            names = "--url",
            defaultValue = "tcp://127.0.0.1:1884",
            description = "Cloud broker, tcp:// or ssl:// (default: ${DEFAULT-VALUE}).")
    String url;

    @Mixin
    CloudOptions cloud;

    @Option(
            names = "--duration",
            defaultValue = "5m",
            description = "Longest time to listen; 0 = no limit (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--expect-count",
            defaultValue = "0",
            description = "Stop once this many distinct events arrived; 0 = no such limit (default: ${DEFAULT-VALUE}).")
    long expectCount;

    @Option(
            names = "--idle",
            defaultValue = "10s",
            description =
                    "Stop after this long without events, once one arrived; 0 = never (default: ${DEFAULT-VALUE}).")
    Duration idle;

    @Option(
            names = "--expect-acked",
            paramLabel = "FILE",
            description = "File of msgIds acknowledged to devices (from 'devices --acked-log'); each must"
                    + " arrive as data.msgId of some event, else it is reported lost.")
    Path expectAcked;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path report;

    @Override
    public Integer call() throws Exception {
        CloudVerifier verifier = new CloudVerifier(storeId);
        String topic = "retail/" + storeId + "/events";
        RunControl control = new RunControl();
        try (CloudSubscriber sub = new CloudSubscriber(
                cloud.endpoint(url),
                "sim-cloud-" + MessageFactory.newRunId(),
                topic,
                (t, payload) -> verifier.accept(new String(payload, StandardCharsets.UTF_8)))) {
            sub.start(15_000);
            System.out.printf("cloud: subscribed to %s on %s%n", topic, url);
            listen(control, verifier);
        } finally {
            control.finished();
        }
        Collection<String> acked = expectAcked == null ? List.of() : AckedIds.read(expectAcked);
        VerifierReport r = verifier.report(acked);
        System.out.println(r.toText());
        if (report != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), r);
        }
        return r.passed() ? 0 : 1;
    }

    private void listen(RunControl control, CloudVerifier verifier) throws InterruptedException {
        long start = System.nanoTime();
        long end = duration.isZero() ? Long.MAX_VALUE : start + duration.toNanos();
        long nextPrint = start + 1_000_000_000L;
        RateMeter meter = new RateMeter();
        while (!control.stopRequested()) {
            long now = System.nanoTime();
            if (now >= end) {
                System.out.println("cloud: duration reached");
                return;
            }
            if (expectCount > 0 && verifier.distinct() >= expectCount) {
                System.out.printf("cloud: %d distinct events arrived as expected%n", verifier.distinct());
                return;
            }
            long last = verifier.lastArrivalNanos();
            if (!idle.isZero() && last != 0 && now - last >= idle.toNanos()) {
                System.out.printf("cloud: no event for %s, stopping%n", Durations.format(idle));
                return;
            }
            if (now >= nextPrint) {
                nextPrint += 1_000_000_000L;
                VerifierReport r = verifier.report(List.of());
                System.out.printf(
                        "[%4ds] received=%d distinct=%d duplicates=%d missing=%d outOfOrder=%d invalid=%d rate=%.1f/s%n",
                        (now - start) / 1_000_000_000L,
                        r.received(),
                        r.distinctIds(),
                        r.duplicates(),
                        r.missing(),
                        r.outOfOrder(),
                        r.invalid(),
                        meter.update(r.received()));
            }
            control.pause(50);
        }
    }
}
