package com.retailedge.gateway.picking;

import com.retailedge.gateway.cloud.CommandIntake;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.Gtin;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.ingest.InFlightBudget;
import com.retailedge.gateway.ingest.IngestResult;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 5,000 scans of 1,000 orders (5 lines each, 50 PDAs) through the real ingest path and writer, all queued at
 * once: every scan is accepted, every order is picked, and the ledger holds one pick per scan. It also prints
 * the writer thread's CPU time per scan with the picking rules and, for comparison, with PDAs as plain
 * scanners (docs/benchmarks.md); nothing is asserted about speed.
 */
@Timeout(120)
@Tag("slow")
class PickingThroughWriterTest {
    private static final int ORDERS = 1000;
    private static final int LINES = 5;

    @TempDir
    Path dir;

    @Test
    void bulk_scans_through_the_writer_pick_every_order_and_book_every_pick() throws Exception {
        run(false, dir.resolve("plain-warm-up"));
        run(true, dir.resolve("picking-warm-up"));
        run(false, dir.resolve("plain"));
        run(true, dir.resolve("picking"));
    }

    private static long single(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.getLong(1);
        }
    }

    private static String gtin(int sku) {
        String body = String.format("400%09d", 100_000 + sku);
        return body + Gtin.checkDigit(body);
    }

    private void run(boolean picking, Path d) throws Exception {
        Database database = Database.open(d);
        Outbox outbox;
        DeviceRegistry registry;
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 10_000_000, 1L << 32);
            registry = DeviceRegistry.load(c);
        }
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        SqliteWriter writer = new SqliteWriter(database, 2000, 100_000, metrics);
        writer.start();
        GatewayConfig config = new ConfigLoader(Map.of("GATEWAY_DEVICES", "pda:pda-{n}:50")).load(null);
        writer.submit(tx -> {
                    registry.registerConfigured(tx, config.devices());
                    return null;
                })
                .get();
        DeadLetters dl = new DeadLetters(metrics);
        Picking p = new Picking(config, writer, outbox, PickLights.NONE, (topic, json) -> {});
        Capabilities wired = picking ? Capabilities.of(p.capability(metrics)) : Capabilities.of();
        DeviceIngest ingest = new DeviceIngest(
                writer,
                outbox,
                registry,
                dl,
                wired,
                (pda, json) -> {},
                DeviceIngest.MAX_QUEUED_REPLIES,
                new InFlightBudget(InFlightBudget.MAX_MESSAGES, InFlightBudget.MAX_BYTES, metrics),
                metrics);
        CommandIntake intake = new CommandIntake("s001", writer, outbox, dl, registry, wired);
        for (Capability c : wired.all()) {
            c.start();
        }
        StringBuilder prices = new StringBuilder("{\"commandId\":\"p\",\"prices\":[");
        for (int i = 0; i < 100; i++) {
            prices.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"S")
                    .append(i)
                    .append("\",\"name\":\"n\",\"price\":\"1\"," + "\"currency\":\"EUR\",\"gtins\":[\"")
                    .append(gtin(i))
                    .append("\"]}");
        }
        intake.receive(
                        "retail/s001/commands/prices",
                        prices.append("]}").toString().getBytes(StandardCharsets.UTF_8))
                .get();
        int orders = ORDERS;
        StringBuilder o = new StringBuilder("{\"commandId\":\"o\",\"orders\":[");
        for (int i = 0; i < orders; i++) {
            o.append(i == 0 ? "" : ",")
                    .append("{\"orderId\":\"O")
                    .append(i)
                    .append("\",\"due\":\"2030-01-01T00:00:00Z\"," + "\"lines\":[");
            for (int l = 0; l < LINES; l++) {
                o.append(l == 0 ? "" : ",")
                        .append("{\"sku\":\"S")
                        .append((i + l * 7) % 100)
                        .append("\",\"qty\":1}");
            }
            o.append("]}");
        }
        if (picking) {
            intake.receive(
                            "retail/s001/commands/orders",
                            o.append("]}").toString().getBytes(StandardCharsets.UTF_8))
                    .get();
        }
        List<byte[]> scans = new ArrayList<>();
        List<DeviceAddress> who = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            for (int l = 0; l < LINES; l++) {
                scans.add(("{\"msgId\":\"m" + i + "-" + l + "\",\"orderId\":\"O" + i + "\",\"barcode\":\""
                                + gtin((i + l * 7) % 100) + "\",\"qty\":1}")
                        .getBytes(StandardCharsets.UTF_8));
                who.add(new DeviceAddress(Channel.SCAN, "pda-" + (1 + i % 50)));
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long wid = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("sqlite-writer") && t.isAlive())
                .mapToLong(Thread::getId)
                .max()
                .orElseThrow();
        long cpu0 = mx.getThreadCpuTime(wid);
        long t0 = System.nanoTime();
        List<CompletableFuture<IngestResult>> fs = new ArrayList<>();
        for (int i = 0; i < scans.size(); i++) {
            fs.add(ingest.submit(Transport.MQTT, "t", who.get(i), scans.get(i)));
        }
        long accepted = 0;
        for (CompletableFuture<IngestResult> f : fs) {
            accepted += f.get().isRejected() ? 0 : 1;
        }
        long ns = System.nanoTime() - t0;
        long cpu = mx.getThreadCpuTime(wid) - cpu0;
        System.out.printf(
                "%s: %d scans, writer CPU %d us per scan, wall %d ms, %d commits%n",
                picking ? "picking rules" : "plain scanner",
                scans.size(),
                cpu / scans.size() / 1000,
                ns / 1_000_000,
                metrics.get("gateway_store_commit").timer().count());
        assertEquals(scans.size(), accepted);
        if (picking) {
            try (Connection c = database.openReadConnection()) {
                assertEquals(ORDERS, single(c, "SELECT count(*) FROM pick_order WHERE state = 'picked'"));
                assertEquals(-ORDERS * LINES, single(c, "SELECT sum(delta) FROM stock_move WHERE kind = 'pick'"));
                assertEquals(ORDERS, single(c, "SELECT count(*) FROM outbox WHERE type = 'retail.order.picked'"));
            }
        }
        p.close();
        ingest.close();
        writer.close();
    }
}
