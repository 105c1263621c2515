package com.retailedge.gateway.stock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.outbox.StoredEvent;
import com.retailedge.gateway.replenishment.ReplenishmentPlanner;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stock ledger on a real SQLite file: stock is the sum of the ledger's rows, a count books the
 * difference, and a SKU asks for replenishment once each time it falls to its threshold.
 */
@Timeout(30)
class StockLedgerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;
    private Outbox outbox;
    private StockLedger ledger;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        try (Connection c = database.openReadConnection()) {
            outbox = Outbox.load(c, "s001", 1_000_000, 1L << 30);
        }
        writer = new SqliteWriter(database, 100, 10_000, new SimpleMeterRegistry());
        writer.start();
        ledger = new StockLedger(outbox, 5);
        // Requests come from the planner watching the ledger; with no history it keeps the threshold rule.
        ledger.watchWith(new ReplenishmentPlanner(
                outbox, ZoneOffset.UTC, 5, System::currentTimeMillis, new SimpleMeterRegistry()));
    }

    @AfterEach
    void close() {
        writer.close();
    }

    @Test
    void given_movements_then_a_threshold_crossing_asks_once_and_again_only_after_rising_above() throws Exception {
        book("receiving", 10);
        book("sale", 4);
        assertEquals(List.of(), replenishments(), "6 is above the default threshold 5");
        assertEquals(1, single("SELECT threshold IS NULL FROM stock_level"), "no own threshold: the default");
        book("sale", 1);
        assertEquals(List.of(5L), replenishments(), "falls to 5: asks");
        book("sale", 2);
        book("count", 3);
        assertEquals(List.of(5L), replenishments(), "still low: no second request");
        book("receiving", 10);
        book("count", 4);
        assertEquals(List.of(5L, 4L), replenishments(), "received (closing the request), counted 4: a new crossing");
        assertEquals(4, single("SELECT on_hand FROM stock_level WHERE sku = 'MILK'"));
        assertEquals(
                4, single("SELECT sum(delta) FROM stock_move WHERE sku = 'MILK'"), "the balance is the ledger's sum");
        assertEquals(7, single("SELECT count(*) FROM stock_move WHERE sku = 'MILK'"), "one row per movement");
    }

    @Test
    void given_a_sku_never_booked_then_the_first_pick_asks_nothing_until_it_was_once_above() throws Exception {
        writer.submit(tx ->
                        ledger.move(tx, "NEW", -1, StockLedger.Kind.PICK, new StockLedger.Cause("pda-1", "m-1", "o-1")))
                .get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), replenishments());
        JsonNode changed = events().get(0);
        assertEquals("retail.stock.changed", changed.get("type").asText());
        assertEquals("pda-1", changed.get("subject").asText());
        assertEquals("m-1", changed.at("/data/msgId").asText());
        assertEquals(-1, changed.at("/data/onHand").asInt());
    }

    private void book(String kind, long qty) throws Exception {
        StockMovements movements = StockMovements.parse(
                JSON.readTree("{\"movements\":[{\"sku\":\"MILK\",\"kind\":\"" + kind + "\",\"qty\":" + qty + "}]}"),
                com.retailedge.gateway.domain.RejectReason.BAD_COMMAND);
        writer.submit(tx -> movements.apply(tx, ledger, "test")).get(10, TimeUnit.SECONDS);
    }

    private List<Long> replenishments() throws Exception {
        List<Long> onHand = new ArrayList<>();
        for (JsonNode e : events()) {
            if (e.get("type").asText().equals("retail.replenishment.requested")) {
                onHand.add(e.at("/data/onHand").asLong());
            }
        }
        return onHand;
    }

    private List<JsonNode> events() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        try (Connection c = database.openReadConnection()) {
            for (StoredEvent e : Outbox.readAfter(c, 0, 1000)) {
                events.add(JSON.readTree(e.body()));
            }
        }
        return events;
    }

    private long single(String sql) throws Exception {
        try (Connection c = database.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.getLong(1);
        }
    }
}
