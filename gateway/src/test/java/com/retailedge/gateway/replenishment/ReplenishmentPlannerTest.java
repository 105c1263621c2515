package com.retailedge.gateway.replenishment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.outbox.StoredEvent;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner on a real SQLite file with a clock the test moves: its state survives a restart (a new planner
 * reads it back), a rolled-back unit leaves no trace in memory, a new day makes yesterday history, and a
 * crossing asks once even across a restart.
 */
@Timeout(60)
class ReplenishmentPlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;
    private Outbox outbox;
    private final AtomicLong clock =
            new AtomicLong(Instant.parse("2026-03-02T12:00:00Z").toEpochMilli());
    private StockLedger ledger;
    private ReplenishmentPlanner planner;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
        }
        writer = new SqliteWriter(database, 100, 10_000, new SimpleMeterRegistry());
        writer.start();
        restart();
    }

    @AfterEach
    void close() {
        writer.close();
    }

    /** A new planner with empty memory, as after a gateway restart. */
    private void restart() {
        ledger = new StockLedger(outbox, 5);
        planner = new ReplenishmentPlanner(outbox, java.time.ZoneOffset.UTC, 5, clock::get, new SimpleMeterRegistry());
        ledger.watchWith(planner);
    }

    @Test
    void given_history_then_a_restart_reads_the_same_plan_back_and_a_crossing_asks_once_across_it() throws Exception {
        configure("A", Duration.ofDays(2), Duration.ofDays(1), 6);
        move("A", 300, StockLedger.Kind.RECEIVING, clock.get());
        for (int d = 20; d >= 1; d--) {
            move("A", -10, StockLedger.Kind.SALE, clock.get() - d * DAY);
        }
        String before = planRow("A");
        assertTrue(before.startsWith("forecast|"), before);
        restart();
        writer.submit(tx -> {
                    planner.refresh(tx, "A");
                    return null;
                })
                .get(10, TimeUnit.SECONDS);
        assertEquals(before, planRow("A"), "read back from SQLite: the same plan");

        long reorderPoint = single("SELECT reorder_point FROM replenishment_plan WHERE sku = 'A'");
        assertEquals(30, reorderPoint, "10 a day, no error, over 3 days");
        move("A", -(100 - reorderPoint), StockLedger.Kind.SALE, clock.get());
        assertEquals(1, requests().size());
        assertEquals(12, requests().get(0).at("/data/orderQty").asLong(), "30 -> up to 40: 10 missing, 2 packs of 6");
        restart();
        move("A", -1, StockLedger.Kind.SALE, clock.get());
        assertEquals(1, requests().size(), "the order lifted the position above: no second request after the restart");
        assertEquals(12, single("SELECT on_order FROM replenishment_plan WHERE sku = 'A'"));
        move("A", 12, StockLedger.Kind.RECEIVING, clock.get());
        assertEquals(0, single("SELECT on_order FROM replenishment_plan WHERE sku = 'A'"));
        assertEquals(0, single("SELECT count(*) FROM replenishment_request WHERE state = 'open'"));
    }

    @Test
    void given_a_unit_that_rolls_back_then_its_demand_is_gone_from_memory_too() throws Exception {
        move("B", 100, StockLedger.Kind.RECEIVING, clock.get() - 30 * DAY);
        for (int d = 20; d >= 1; d--) {
            move("B", -4, StockLedger.Kind.SALE, clock.get() - d * DAY);
        }
        double perDay = perDay("B");
        ExecutionException failed = assertThrows(
                ExecutionException.class,
                () -> writer.submit(tx -> {
                            ledger.move(
                                    tx,
                                    "B",
                                    -500,
                                    StockLedger.Kind.SALE,
                                    new StockLedger.Cause("lane-1", "m", "lane-1"),
                                    clock.get() - DAY);
                            throw new java.sql.SQLException("the unit fails after booking");
                        })
                        .get(10, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof java.sql.SQLException);
        move("B", 0, StockLedger.Kind.COUNT, clock.get());
        assertEquals(perDay, perDay("B"), 1e-9, "the rolled-back 500 units are not demand");
        assertEquals(20, single("SELECT on_hand FROM stock_level WHERE sku = 'B'"));
    }

    @Test
    void given_a_new_day_then_yesterday_joins_the_history() throws Exception {
        move("C", 100, StockLedger.Kind.RECEIVING, clock.get() - 20 * DAY);
        move("C", -50, StockLedger.Kind.SALE, clock.get());
        assertEquals(0, perDay("C"), 1e-9, "today is not history yet");
        clock.addAndGet(DAY);
        writer.submit(tx -> {
                    planner.refresh(tx, "C");
                    return null;
                })
                .get(10, TimeUnit.SECONDS);
        assertTrue(perDay("C") > 0, "yesterday's 50 counts now");
        assertEquals(21, single("SELECT history_days FROM replenishment_plan WHERE sku = 'C'"));
    }

    private void configure(String sku, Duration lead, Duration review, int pack) throws Exception {
        writer.submit(tx -> {
                    planner.configure(tx, sku, new Settings(lead, review, pack, 0.95, null), "cmd");
                    return null;
                })
                .get(10, TimeUnit.SECONDS);
    }

    private void move(String sku, long delta, StockLedger.Kind kind, long atMs) throws Exception {
        writer.submit(tx -> kind == StockLedger.Kind.COUNT
                        ? ledger.count(tx, sku, single(tx.connection(), sku), new StockLedger.Cause(sku, null, "t"))
                        : ledger.move(
                                tx,
                                sku,
                                delta,
                                kind,
                                new StockLedger.Cause("lane-1", "m-" + System.nanoTime(), "t"),
                                atMs))
                .get(10, TimeUnit.SECONDS);
    }

    private static long single(Connection c, String sku) throws java.sql.SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT on_hand FROM stock_level WHERE sku = '" + sku + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private String planRow(String sku) throws Exception {
        try (Connection c = database.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT basis, method, forecast_per_day, sigma, reorder_point, order_up_to, "
                                + "below, on_order, history_days FROM replenishment_plan WHERE sku = '" + sku + "'")) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= 9; i++) {
                row.append(rs.getString(i)).append('|');
            }
            return row.toString();
        }
    }

    private double perDay(String sku) throws Exception {
        try (Connection c = database.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT forecast_per_day FROM replenishment_plan WHERE sku = '" + sku + "'")) {
            return rs.getDouble(1);
        }
    }

    private long single(String sql) throws Exception {
        try (Connection c = database.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.getLong(1);
        }
    }

    private List<JsonNode> requests() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        try (Connection c = database.openReadConnection()) {
            for (StoredEvent e : Outbox.readAfter(c, 0, 10_000)) {
                JsonNode event = JSON.readTree(e.body());
                if (event.get("type").asText().equals("retail.replenishment.requested")) {
                    events.add(event);
                }
            }
        }
        return events;
    }
}
