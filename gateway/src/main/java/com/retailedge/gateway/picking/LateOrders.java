package com.retailedge.gateway.picking;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flags orders that passed their due time before being picked: {@code late = 1} and one
 * {@code retail.order.late} each. A timer queues the check to the writer every {@code picking.late-check};
 * the query reads only unpicked orders already due, through the (state, due) index.
 */
public final class LateOrders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LateOrders.class);

    private final SqliteWriter writer;
    private final Outbox outbox;
    private final Duration every;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("late-orders"));

    LateOrders(SqliteWriter writer, Outbox outbox, Duration every) {
        this.writer = writer;
        this.outbox = outbox;
        this.every = every;
    }

    void start() {
        long ms = Math.max(1, every.toMillis());
        timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            writer.submit(tx -> flag(tx, System.currentTimeMillis())).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("late-order check failed: {}", e.getMessage());
        }
    }

    /** Flags every unpicked order due before {@code now}; returns how many. */
    int flag(Tx tx, long now) throws SQLException {
        PreparedStatement select = tx.prepare("SELECT order_id, due_ms, state, pda_id FROM pick_order "
                + "WHERE state IN ('waiting', 'picking') AND due_ms < ? AND late = 0");
        select.setLong(1, now);
        List<Map<String, Object>> late = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("orderId", rs.getString(1));
                data.put("due", Instant.ofEpochMilli(rs.getLong(2)).toString());
                data.put("state", rs.getString(3));
                data.put("pdaId", rs.getString(4));
                late.add(data);
            }
        }
        PreparedStatement update = tx.prepare("UPDATE pick_order SET late = 1 WHERE order_id = ?");
        for (Map<String, Object> data : late) {
            update.setString(1, (String) data.get("orderId"));
            update.executeUpdate();
            outbox.append(tx, EventTypes.ORDER_LATE, (String) data.get("orderId"), data);
        }
        return late.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
