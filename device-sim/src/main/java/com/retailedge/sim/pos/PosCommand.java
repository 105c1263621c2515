package com.retailedge.sim.pos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.sim.transport.MqttEndpoint;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pos}: checkout lanes selling SKUs by demand profile, with an offline burst of past days first. */
@Command(
        name = "pos",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Checkout lanes lane-1..N publishing sales on store/{store}/pos/{laneId}/sale (QoS 1).",
            "",
            "First the offline burst: --history-days days of past sales, sent as fast as the gateway"
                    + " acknowledges them, each with its own 'at' time (a lane that was offline). Then live sales"
                    + " at --rate per second for --duration, 'at' now. SKUs SKU-1..N (or --sku-prefix) take the"
                    + " profiles of --profiles in turn; promotion SKUs sell three times their mean over the last"
                    + " --promotion-days of the history. The lanes must be registered with kind pos (config"
                    + " devices, or a cloud bindings command)."
        })
public final class PosCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--url",
            defaultValue = "tcp://127.0.0.1:1883",
            description = "Gateway MQTT (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--store", defaultValue = "s001", description = "Store id (default: ${DEFAULT-VALUE}).")
    String storeId;

    @Option(
            names = "--lanes",
            defaultValue = "2",
            description = "Checkout lanes lane-1..N (default: ${DEFAULT-VALUE}).")
    int lanes;

    @Option(names = "--skus", defaultValue = "20", description = "SKUs sold (default: ${DEFAULT-VALUE}).")
    int skus;

    @Option(
            names = "--sku-prefix",
            defaultValue = "SKU-",
            description = "SKU names: prefix + n (default: ${DEFAULT-VALUE}).")
    String skuPrefix;

    @Option(
            names = "--profiles",
            defaultValue = "steady,seasonal,intermittent,promotion",
            split = ",",
            description = "Demand profiles the SKUs take in turn (default: ${DEFAULT-VALUE}).")
    List<String> profileNames;

    @Option(
            names = "--mean",
            defaultValue = "10",
            description = "Mean units per SKU and day (default: ${DEFAULT-VALUE}).")
    double mean;

    @Option(
            names = "--history-days",
            defaultValue = "28",
            description = "Past days sent first (default: ${DEFAULT-VALUE}).")
    int historyDays;

    @Option(
            names = "--promotion-days",
            defaultValue = "7",
            description = "Promoted days at the end (default: ${DEFAULT-VALUE}).")
    int promotionDays;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "Live sales per second after the burst (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "0s",
            description = "How long live sales run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--username", description = "MQTT user (device authentication on).")
    String username;

    @Option(names = "--password", description = "MQTT password.")
    String password;

    @Override
    public Integer call() throws Exception {
        if (lanes < 1 || lanes > 1000 || skus < 1 || skus > 100_000 || historyDays < 0 || mean <= 0 || rate < 0) {
            System.err.println("--lanes 1..1000, --skus 1..100000, --history-days >= 0, --mean > 0, --rate >= 0");
            return 2;
        }
        List<DemandProfile> profiles =
                profileNames.stream().map(DemandProfile::parse).toList();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= skus; i++) {
            names.add(skuPrefix + i);
        }
        Random random = new Random(seed);
        MqttEndpoint endpoint = new MqttEndpoint(url, username, password, null);
        List<MqttClient> clients = new ArrayList<>();
        try {
            for (int n = 1; n <= lanes; n++) {
                MqttClient client = new MqttClient(url, "lane-" + n, new MemoryPersistence());
                client.setTimeToWait(30_000);
                client.connect(endpoint.connectOptions(100));
                clients.add(client);
            }
            long sent = 0;
            long t0 = System.nanoTime();
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            for (int daysAgo = historyDays; daysAgo >= 1; daysAgo--) {
                boolean promoted = daysAgo <= promotionDays;
                for (SaleBaskets.Sale sale :
                        SaleBaskets.day(today.minusDays(daysAgo), names, profiles, mean, promoted, random)) {
                    publish(clients, sent++, sale);
                }
            }
            double burstSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "offline burst: %d sales of %d past days in %.1f s (%.0f sales/s acknowledged)%n",
                    sent, historyDays, burstSeconds, sent / Math.max(burstSeconds, 1e-9));
            long live = 0;
            if (rate > 0 && !duration.isZero()) {
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                while (System.nanoTime() < end) {
                    Map<String, Integer> basket = new LinkedHashMap<>();
                    for (int j = 0, size = 1 + random.nextInt(3); j < size; j++) {
                        basket.merge(names.get(random.nextInt(names.size())), 1 + random.nextInt(2), Integer::sum);
                    }
                    publish(clients, sent++, new SaleBaskets.Sale(null, basket));
                    live++;
                    long due = start + (long) (live * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                System.out.printf("live: %d sales in %s%n", live, duration);
            }
        } finally {
            for (MqttClient c : clients) {
                if (c.isConnected()) {
                    c.disconnect();
                }
                c.close();
            }
        }
        return 0;
    }

    private void publish(List<MqttClient> clients, long n, SaleBaskets.Sale sale) throws Exception {
        int lane = (int) (n % clients.size());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("msgId", "sale-" + seed + "-" + n);
        List<Map<String, Object>> lines = new ArrayList<>();
        sale.lines().forEach((sku, qty) -> lines.add(Map.of("sku", sku, "qty", qty)));
        payload.put("lines", lines);
        if (sale.at() != null) {
            payload.put("at", sale.at().toString());
        }
        MqttMessage message = new MqttMessage(JSON.writeValueAsBytes(payload));
        message.setQos(1);
        // Synchronous: returns after the PUBACK, which the gateway sends once the sale is durable.
        clients.get(lane).publish("store/" + storeId + "/pos/lane-" + (lane + 1) + "/sale", message);
    }
}
