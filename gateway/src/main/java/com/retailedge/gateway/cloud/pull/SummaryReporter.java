package com.retailedge.gateway.cloud.pull;

import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.store.ReadPool;
import com.retailedge.gateway.store.SqliteWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers stored {@code summary} requests with {@code retail.summary.reported}, oldest first, on its own thread:
 * the summary's queries run on read connections, never on the writer. The event is appended in the transaction
 * that deletes the request, so each request is answered once, also across a crash between the two.
 */
final class SummaryReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SummaryReporter.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    /** One stored request. */
    private record Request(String commandId, long fromMs, long toMs) {}

    private final SqliteWriter writer;
    private final Outbox outbox;
    private final ReadPool reads;
    private final Object lock = new Object();
    private boolean woken = true;
    private volatile boolean running = true;
    private Thread thread;

    SummaryReporter(SqliteWriter writer, Outbox outbox, ReadPool reads) {
        this.writer = writer;
        this.outbox = outbox;
        this.reads = reads;
    }

    /** Starts answering, first what is still stored from before a restart. */
    void start(BiFunction<Instant, Instant, Map<String, Object>> summary) {
        thread = new Thread(() -> run(summary), "summary-reporter");
        thread.setDaemon(true);
        thread.start();
    }

    /** A request was committed. */
    void wake() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    private void run(BiFunction<Instant, Instant, Map<String, Object>> summary) {
        long backoffMs = 500;
        while (running) {
            try {
                synchronized (lock) {
                    while (!woken && running) {
                        lock.wait();
                    }
                    woken = false;
                }
                for (Request request : pending()) {
                    if (!running) {
                        return;
                    }
                    answer(
                            request,
                            summary.apply(
                                    Instant.ofEpochMilli(request.fromMs()), Instant.ofEpochMilli(request.toMs())));
                }
                backoffMs = 500;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                // The store could not answer now (busy, disk); the requests stay stored and are tried again.
                LOG.warn("summary request not answered yet, retrying in {} ms: {}", backoffMs, e.getMessage());
                synchronized (lock) {
                    woken = true;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private List<Request> pending() throws java.sql.SQLException {
        return reads.read(c -> {
            List<Request> requests = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT command_id, from_ms, to_ms FROM summary_request ORDER BY asked_ms, command_id LIMIT 100");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    requests.add(new Request(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return requests;
        });
    }

    private void answer(Request request, Map<String, Object> summary) throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("commandId", request.commandId());
        data.put("summary", summary);
        boolean reported = writer.submit(tx -> {
                    PreparedStatement ps = tx.prepare("DELETE FROM summary_request WHERE command_id = ?");
                    ps.setString(1, request.commandId());
                    if (ps.executeUpdate() == 0) {
                        return false;
                    }
                    outbox.append(tx, EventTypes.SUMMARY_REPORTED, request.commandId(), data);
                    return true;
                })
                .get(30, TimeUnit.SECONDS);
        if (reported) {
            LOG.info("summary for command {} reported", request.commandId());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        wake();
        if (thread != null) {
            thread.interrupt();
            thread.join(5000);
        }
    }
}
