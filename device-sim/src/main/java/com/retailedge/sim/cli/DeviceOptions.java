package com.retailedge.sim.cli;

import com.retailedge.sim.device.DeviceKind;
import com.retailedge.sim.device.Ean13;
import com.retailedge.sim.device.Fleet;
import com.retailedge.sim.transport.MqttEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options shared by {@code devices} and {@code bench}: the store, the broker and the fleet. */
final class DeviceOptions {
    @Option(
            names = "--store",
            defaultValue = "s001",
            description = "Store id used in topics (default: ${DEFAULT-VALUE}).")
    String storeId;

    @Option(
            names = "--mqtt",
            defaultValue = "tcp://127.0.0.1:1883",
            description = "In-store MQTT broker the devices publish to, tcp:// or ssl:// (default: ${DEFAULT-VALUE}).")
    String mqttUrl;

    @Option(names = "--mqtt-username", description = "User name for the in-store broker, if it wants one.")
    String mqttUsername;

    @Option(names = "--mqtt-password", description = "Password for the in-store broker.")
    String mqttPassword;

    @Option(
            names = "--mqtt-connections",
            defaultValue = "20",
            description = "At most this many MQTT connections; devices are spread across them, client ids"
                    + " sim-{runId}-{i} (default: ${DEFAULT-VALUE}).")
    int mqttConnections;

    @Option(names = "--pdas", defaultValue = "5", description = "PDAs pda-1..pda-N (default: ${DEFAULT-VALUE}).")
    int pdas;

    @Option(
            names = "--buttons",
            defaultValue = "5",
            description = "Shelf buttons button-1..button-N (default: ${DEFAULT-VALUE}).")
    int buttons;

    @Option(
            names = "--cameras",
            defaultValue = "2",
            description = "Cameras camera-1..camera-N (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--labels",
            defaultValue = "10",
            description = "Shelf labels esl-1..esl-N (default: ${DEFAULT-VALUE}).")
    int labels;

    @Option(
            names = "--rate",
            defaultValue = "50",
            description = "Total messages per second across all devices (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "30s",
            description = "How long to send: 500ms, 30s, 5m, 1h; 0 = until Ctrl-C (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Seed for the traffic mix and payloads; msgIds still differ per run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--orders",
            split = ",",
            description = "Order ids PDAs scan for, comma-separated (default: invented o-1001..o-9999).")
    List<String> orders = new ArrayList<>();

    @Option(
            names = "--barcodes",
            split = ",",
            description = "EAN-13 barcodes PDAs scan, comma-separated; each must have a valid check digit"
                    + " (default: random valid EAN-13s).")
    List<String> barcodes = new ArrayList<>();

    /** Checks option values, naming the option that is wrong. */
    void validate() {
        require(rate > 0, "--rate must be above 0, got " + rate);
        require(pdas >= 0 && buttons >= 0 && cameras >= 0 && labels >= 0, "device counts must be 0 or more");
        require(mqttConnections >= 1, "--mqtt-connections must be at least 1, got " + mqttConnections);
        for (String b : barcodes) {
            require(Ean13.isValid(b), "--barcodes: '" + b + "' is not a valid EAN-13 (13 digits, mod-10 check digit)");
        }
        mqttEndpoint();
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    MqttEndpoint mqttEndpoint() {
        return new MqttEndpoint(mqttUrl, mqttUsername, mqttPassword, null);
    }

    int deviceCount() {
        return pdas + buttons + cameras + labels;
    }

    Fleet fleet(Set<DeviceKind> talking, Random rnd) {
        Map<DeviceKind, Integer> counts = new EnumMap<>(DeviceKind.class);
        counts.put(DeviceKind.PDA, pdas);
        counts.put(DeviceKind.BUTTON, buttons);
        counts.put(DeviceKind.CAMERA, cameras);
        counts.put(DeviceKind.LABEL, labels);
        return new Fleet(counts, talking, orders, barcodes, rnd);
    }

    static Set<DeviceKind> kinds(List<String> names) {
        Set<DeviceKind> set = EnumSet.noneOf(DeviceKind.class);
        for (String n : names) {
            set.add(DeviceKind.parse(n));
        }
        return set;
    }
}
