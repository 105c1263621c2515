package com.retailedge.gateway.api;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code summary-upkeep} thread: once a second it rolls newly committed events up per minute and type,
 * and notes which devices were heard from. Both read on this thread's own connection, off the device path;
 * the only write is one small writer unit per chunk of events.
 */
public final class SummaryUpkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SummaryUpkeep.class);

    private final Connection reader;
    private final EventRollups rollups;
    private final DevicePresence presence;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("summary-upkeep"));

    private SummaryUpkeep(
            Connection reader, SqliteWriter writer, Outbox outbox, Duration onlineWindow, MeterRegistry metrics)
            throws SQLException {
        this.reader = reader;
        this.rollups = new EventRollups(reader, writer, outbox, metrics);
        this.presence = new DevicePresence(reader, onlineWindow);
    }

    /** Opens its read connection, catches up once (so the first summary is already served by rollups), starts. */
    public static SummaryUpkeep start(
            Database database, SqliteWriter writer, Outbox outbox, Duration onlineWindow, MeterRegistry metrics)
            throws SQLException {
        Connection reader = database.openReadConnection();
        SummaryUpkeep upkeep;
        try {
            upkeep = new SummaryUpkeep(reader, writer, outbox, onlineWindow, metrics);
        } catch (SQLException e) {
            reader.close();
            throw e;
        }
        upkeep.thread.scheduleWithFixedDelay(upkeep::tick, 0, 1, TimeUnit.SECONDS);
        return upkeep;
    }

    private void tick() {
        try {
            long counted = rollups.catchUp();
            if (counted > 10_000) {
                LOG.debug("rolled up {} events", counted);
            }
            presence.scan();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The next tick tries again; answers stay exact meanwhile because queries read the tail directly.
            LOG.warn("summary upkeep: {}", e.getMessage());
        }
    }

    EventRollups rollups() {
        return rollups;
    }

    DevicePresence presence() {
        return presence;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            reader.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
