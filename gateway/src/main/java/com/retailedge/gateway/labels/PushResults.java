package com.retailedge.gateway.labels;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.labels.push.PushOutcomes;
import com.retailedge.gateway.store.SqliteWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the pusher's outcomes to the writer. Acceptances are many (one per label per change) and only
 * informational, so they are collected and written in one unit every 100 ms; failures change a label's state
 * and go to the writer at once.
 */
final class PushResults implements PushOutcomes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushResults.class);

    private record Accepted(String labelId, long version) {}

    private final SqliteWriter writer;
    private final LabelBook book;
    private final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService flusher =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("label-push-results"));

    PushResults(SqliteWriter writer, LabelBook book) {
        this.writer = writer;
        this.book = book;
        flusher.scheduleWithFixedDelay(this::flush, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public void accepted(String labelId, long version) {
        accepted.add(new Accepted(labelId, version));
    }

    @Override
    public void failed(String labelId, long version, String reason) {
        writer.submit(tx -> {
                    book.pushFailed(tx, labelId, version, reason, System.currentTimeMillis());
                    return null;
                })
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        return;
                    }
                    if (refused(error) && !flusher.isShutdown()) {
                        // The write queue was full: the failure is tried again, or the label would stay pending until
                        // its
                        // deadline for no reason anyone could see.
                        flusher.schedule(() -> failed(labelId, version, reason), 1, TimeUnit.SECONDS);
                    } else {
                        LOG.warn("recording the failure of label {} v{}: {}", labelId, version, error.getMessage());
                    }
                });
    }

    private static boolean refused(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        return cause instanceof java.util.concurrent.RejectedExecutionException;
    }

    private void flush() {
        List<Accepted> batch = new ArrayList<>();
        Accepted a;
        while ((a = accepted.poll()) != null) {
            batch.add(a);
        }
        if (batch.isEmpty()) {
            return;
        }
        writer.submit(tx -> {
                    for (Accepted each : batch) {
                        book.apAccepted(tx, each.labelId(), each.version());
                    }
                    return null;
                })
                .whenComplete((ok, error) -> {
                    if (error != null && refused(error) && !flusher.isShutdown()) {
                        accepted.addAll(batch); // the next flush tries them again
                    } else if (error != null) {
                        LOG.warn("recording {} acceptances by access points: {}", batch.size(), error.getMessage());
                    }
                });
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        flush();
    }
}
