package com.retailedge.sim.cli;

import com.retailedge.sim.esl.AccessPointSimulator;
import com.retailedge.sim.esl.ApOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aps}: simulated ESL access points for a gateway, running until the duration ends or Ctrl-C. */
@Command(
        name = "aps",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run simulated ESL access points: ap-i on the i-th of --ap-ports hosts labels esl-a{i}-1..N, takes content"
                    + " at PUT /labels/{labelId} and reports each label's status to the gateway when the label shows it.",
            "Bind the same layout in the gateway with 'bench-labels --ap-ports ... --write-config FILE'.",
            "Example: device-sim aps --ap-ports 25001,25002 --loss 0.05 --check-in 30s --dead 0.01 --low-battery 0.02"
        })
public final class ApsCommand implements Callable<Integer> {
    @Option(names = "--ap-ports", split = ",", required = true, description = "UDP ports of the access points")
    List<Integer> apPorts;

    @Option(
            names = "--labels-per-ap",
            defaultValue = "1000",
            description = "labels per access point (default: ${DEFAULT-VALUE})")
    int labelsPerAp;

    @Option(
            names = "--gateway-coap",
            defaultValue = "coap://127.0.0.1:5683",
            description = "where labels report status")
    String gatewayCoap;

    @Option(
            names = "--loss",
            defaultValue = "0",
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
            names = "--dead",
            defaultValue = "0",
            description = "share of labels that never show content (default: ${DEFAULT-VALUE})")
    double dead;

    @Option(
            names = "--low-battery",
            defaultValue = "0",
            description = "share of labels reporting 5%% battery (default: ${DEFAULT-VALUE})")
    double lowBattery;

    @Option(names = "--seed", defaultValue = "1", description = "seed choosing the dead and weak labels")
    long seed;

    @Option(names = "--duration", defaultValue = "0", description = "how long to run; 0 = until Ctrl-C")
    Duration duration;

    @Option(
            names = "--psk",
            description = "identity:hexkey: serve label content over DTLS (coaps) to the holder of this"
                    + " PSK only (the gateway's labels.ap-psk-file line for each ap-i); status reports stay plain")
    String psk;

    @Option(
            names = "--request-loss",
            defaultValue = "0",
            description = "share of label PUTs lost whole: half never"
                    + " ACKed, half ACKed and never answered (default: ${DEFAULT-VALUE})")
    double requestLoss;

    @Option(
            names = "--silent",
            description = "ACK every label PUT and never answer: an access point that lost its queue")
    boolean silent;

    @Override
    public Integer call() throws Exception {
        Random random = new Random(seed);
        List<AccessPointSimulator> fleet = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> fleet.forEach(AccessPointSimulator::close)));
        for (int i = 1; i <= apPorts.size(); i++) {
            String prefix = "esl-a" + i + "-";
            Set<String> deadLabels = new HashSet<>();
            Set<String> weakLabels = new HashSet<>();
            for (int n = 1; n <= labelsPerAp; n++) {
                if (random.nextDouble() < dead) {
                    deadLabels.add(prefix + n);
                }
                if (random.nextDouble() < lowBattery) {
                    weakLabels.add(prefix + n);
                }
            }
            ApOptions options = new ApOptions(
                            "ap-" + i,
                            apPorts.get(i - 1),
                            id -> id.startsWith(prefix),
                            gatewayCoap,
                            loss,
                            latency,
                            checkIn,
                            deadLabels,
                            weakLabels)
                    .withRequestLoss(requestLoss)
                    .withSilence(silent);
            if (psk != null) {
                int colon = psk.lastIndexOf(':');
                if (colon <= 0) {
                    throw new picocli.CommandLine.ParameterException(
                            new picocli.CommandLine(this), "--psk needs identity:hexkey");
                }
                options = options.withDtls(
                        psk.substring(0, colon), java.util.HexFormat.of().parseHex(psk.substring(colon + 1)));
            }
            AccessPointSimulator ap = new AccessPointSimulator(options);
            ap.start();
            fleet.add(ap);
            System.out.printf(
                    "ap-%d on %s: labels %s1..%d, %d dead, %d low on battery%n",
                    i, ap.url(), prefix, labelsPerAp, deadLabels.size(), weakLabels.size());
        }
        if (duration.isZero()) {
            Thread.currentThread().join();
        } else {
            Thread.sleep(duration.toMillis());
        }
        long puts = fleet.stream().mapToLong(AccessPointSimulator::puts).sum();
        long reports =
                fleet.stream().mapToLong(AccessPointSimulator::reportsAcked).sum();
        System.out.printf("PUTs handled: %d; status reports acknowledged: %d%n", puts, reports);
        return 0;
    }
}
