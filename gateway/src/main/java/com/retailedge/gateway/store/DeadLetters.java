package com.retailedge.gateway.store;

import com.retailedge.gateway.domain.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Keeps rejected inputs with their reasons, so nothing bad is dropped without trace (CONTRACT §3). */
public final class DeadLetters {
    /** Payloads are kept up to this size; the full size is recorded beside it. */
    public static final int KEPT_BYTES = 64 * 1024;

    /** Takes out of a rejected input what must never be stored, such as raw member references. */
    @FunctionalInterface
    public interface PayloadFilter {
        /** @return the bytes to keep for a payload received on {@code address} */
        byte[] keep(String address, byte[] payload);
    }

    private final MeterRegistry metrics;
    private final PayloadFilter filter;
    /** One counter per source and reason, found once: registering looks the meter up by name and tags. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Payload bytes stored, for {@link DeadLetterRetention}; set at start, moved after each commit. */
    private final AtomicLong payloadBytes = new AtomicLong();

    /** Keeps every payload as it came (up to {@link #KEPT_BYTES}). */
    public DeadLetters(MeterRegistry metrics) {
        this(metrics, (address, payload) -> payload);
    }

    /** Keeps what {@code filter} leaves of each payload. */
    public DeadLetters(MeterRegistry metrics, PayloadFilter filter) {
        this.metrics = metrics;
        this.filter = filter;
    }

    /** Writer thread: stores one dead letter in the current transaction. */
    public void record(Tx tx, String source, String address, String deviceId, Rejection rejection, byte[] payload)
            throws SQLException {
        PreparedStatement ps =
                tx.prepare("INSERT INTO dead_letter (at_ms, source, address, device_id, reason, detail, size, payload) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, source);
        ps.setString(3, address);
        ps.setString(4, deviceId);
        ps.setString(5, rejection.reason().code());
        ps.setString(6, rejection.detail());
        ps.setInt(7, payload.length);
        byte[] kept = filter.keep(address, payload);
        byte[] stored = kept.length > KEPT_BYTES ? Arrays.copyOf(kept, KEPT_BYTES) : kept;
        ps.setBytes(8, stored);
        ps.executeUpdate();
        String reason = rejection.reason().code();
        Counter counter = counters.computeIfAbsent(
                source + '\n' + reason,
                k -> Counter.builder("gateway_deadletters")
                        .description("inputs kept as dead letters")
                        .tag("source", source)
                        .tag("reason", reason)
                        .register(metrics));
        int bytes = stored.length;
        tx.afterCommit(() -> {
            counter.increment();
            payloadBytes.addAndGet(bytes);
        });
    }

    /** Payload bytes the dead letters hold (as far as this process knows: loaded at start, then counted). */
    public long payloadBytes() {
        return payloadBytes.get();
    }

    /** Sets the stored payload bytes at start, or after a prune dropped some. */
    void payloadBytes(long total) {
        payloadBytes.set(total);
    }

    void payloadsDropped(long bytes) {
        payloadBytes.addAndGet(-bytes);
    }
}
