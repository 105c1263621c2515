package com.retailedge.gateway.picking;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.config.Durations;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.spi.DeviceLinks;
import com.retailedge.gateway.spi.PdaActions;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices PDAs that are gone (CONTRACT §1): its MQTT connection closed and no {@code idle}/{@code busy} came
 * afterwards on another, its will ({@code off}) was published, it said {@code off}, or nothing was heard from it
 * for {@code picking.pda-timeout}. A gone PDA's state becomes {@code off} with the reason kept, it takes no new
 * orders, and its orders go back to waiting and to the next idle PDA, in one writer transaction.
 *
 * <p>Connections are seen only on the embedded broker's gate ({@link DeviceLinks}); with an external broker the
 * PDA's will and the timeout stand in for it. Each PDA's last connection and last message time are kept in memory;
 * after a restart every PDA still present gets a full timeout to speak again.
 */
public final class PdaPresence implements DeviceLinks, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PdaPresence.class);
    private static final Object CLOSED = new Object();

    private final SqliteWriter writer;
    private final Assigner assigner;
    private final Duration timeout;
    private final Map<String, Long> lastHeardMs = new ConcurrentHashMap<>();
    /** Each PDA's last connection through the gate, or {@link #CLOSED} once that closed. */
    private final Map<String, Object> linkOf = new ConcurrentHashMap<>();

    private final AtomicLong closedGone = new AtomicLong();
    private final AtomicLong silentGone = new AtomicLong();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("pda-presence"));

    PdaPresence(SqliteWriter writer, Assigner assigner, Duration timeout) {
        this.writer = writer;
        this.assigner = assigner;
        this.timeout = timeout;
    }

    /** Counts PDAs found gone, by how they were found. */
    void register(MeterRegistry metrics) {
        gone(metrics, "connection-closed", closedGone);
        gone(metrics, "silent", silentGone);
    }

    private static void gone(MeterRegistry metrics, String reason, AtomicLong count) {
        FunctionCounter.builder("gateway_pda_gone", count, AtomicLong::get)
                .tag("reason", reason)
                .description(
                        "PDAs found gone by the gateway (connection closed, silent), whose orders went back to waiting")
                .register(metrics);
    }

    /** Gives every PDA present at start a full timeout, then looks for silent ones regularly. */
    void start() {
        writer.submit(tx -> {
                    for (String pdaId : present(tx)) {
                        lastHeardMs.putIfAbsent(pdaId, System.currentTimeMillis());
                    }
                    return null;
                })
                .join();
        long everyMs = Math.max(100, Math.min(timeout.toMillis() / 4, 5_000));
        timer.scheduleWithFixedDelay(this::sweep, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    /** Wraps the picking rules so that every PDA message counts as a sign of life, and its status is kept. */
    PdaActions watching(PdaActions rules) {
        return new PdaActions() {
            @Override
            public Answer answer(Tx tx, DeviceMessage message) throws SQLException {
                lastHeardMs.put(message.deviceId(), System.currentTimeMillis());
                return rules.answer(tx, message);
            }

            @Override
            public void statusChanged(Tx tx, DeviceMessage.PdaStatus status) throws SQLException {
                if ("off".equals(status.state())) {
                    lastHeardMs.remove(status.deviceId());
                    reason(tx, status.deviceId(), "said off");
                } else {
                    lastHeardMs.put(status.deviceId(), System.currentTimeMillis());
                    reason(tx, status.deviceId(), null);
                }
                rules.statusChanged(tx, status);
            }
        };
    }

    @Override
    public void heard(Object link, DeviceAddress address) {
        if (address.channel().kind() == DeviceKind.PDA) {
            linkOf.put(address.deviceId(), link);
            lastHeardMs.put(address.deviceId(), System.currentTimeMillis());
        }
    }

    @Override
    public void closed(Object link) {
        for (Map.Entry<String, Object> e : linkOf.entrySet()) {
            if (e.getValue() == link && linkOf.replace(e.getKey(), link, CLOSED)) {
                lastHeardMs.remove(e.getKey());
                closedGone.incrementAndGet();
                goneSoon(e.getKey(), "connection closed");
            }
        }
    }

    /** Whether the PDA's last connection through the embedded broker is open; empty when none was seen. */
    Optional<Boolean> connected(String pdaId) {
        return Optional.ofNullable(linkOf.get(pdaId)).map(link -> link != CLOSED);
    }

    /** When the PDA was last heard from since this start, if it was. */
    Optional<Long> lastHeardMs(String pdaId) {
        return Optional.ofNullable(lastHeardMs.get(pdaId));
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Long> e : lastHeardMs.entrySet()) {
            if (now - e.getValue() > timeout.toMillis() && lastHeardMs.remove(e.getKey(), e.getValue())) {
                silentGone.incrementAndGet();
                goneSoon(e.getKey(), "silent for " + Durations.format(timeout));
            }
        }
    }

    private void goneSoon(String pdaId, String reason) {
        writer.submit(tx -> markGone(tx, pdaId, reason)).whenComplete((released, failure) -> {
            if (failure != null) {
                LOG.warn(
                        "PDA {} is gone ({}) but its orders could not be released: {}",
                        pdaId,
                        reason,
                        failure.getMessage());
            } else if (released) {
                LOG.info("PDA {} is gone ({}); its orders went back to waiting", pdaId, reason);
            }
        });
    }

    /**
     * Writer thread: the PDA is off (unless it already was: its first reason stays) and gives back the orders it
     * holds, also those an off PDA claimed by scanning; returns whether anything changed.
     */
    private boolean markGone(Tx tx, String pdaId, String reason) throws SQLException {
        PreparedStatement read = tx.prepare("SELECT state FROM pda_state WHERE pda_id = ?");
        read.setString(1, pdaId);
        boolean alreadyOff;
        try (ResultSet rs = read.executeQuery()) {
            alreadyOff = rs.next() && "off".equals(rs.getString(1));
        }
        PreparedStatement held = tx.prepare("SELECT COUNT(*) FROM pick_order WHERE pda_id = ? AND state = 'picking'");
        held.setString(1, pdaId);
        boolean holdsOrders;
        try (ResultSet rs = held.executeQuery()) {
            holdsOrders = rs.next() && rs.getInt(1) > 0;
        }
        if (alreadyOff) {
            if (holdsOrders) {
                assigner.pdaOff(tx, pdaId);
            }
            return holdsOrders;
        }
        PreparedStatement ps = tx.prepare("INSERT INTO pda_state (pda_id, state, updated_ms, gone_reason) "
                + "VALUES (?, 'off', ?, ?) ON CONFLICT (pda_id) DO UPDATE SET state = 'off', "
                + "updated_ms = excluded.updated_ms, gone_reason = excluded.gone_reason");
        ps.setString(1, pdaId);
        ps.setLong(2, System.currentTimeMillis());
        ps.setString(3, reason);
        ps.executeUpdate();
        assigner.pdaOff(tx, pdaId);
        return true;
    }

    private static void reason(Tx tx, String pdaId, String reason) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE pda_state SET gone_reason = ? WHERE pda_id = ?");
        ps.setString(1, reason);
        ps.setString(2, pdaId);
        ps.executeUpdate();
    }

    /** PDAs not off, and PDAs holding orders. */
    private static List<String> present(Tx tx) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT pda_id FROM pda_state WHERE state <> 'off' "
                + "UNION SELECT pda_id FROM pick_order WHERE state = 'picking' AND pda_id IS NOT NULL");
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
