package com.retailedge.gateway.store;

import com.retailedge.gateway.domain.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

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
    private volatile PayloadFilter filter = (address, payload) -> payload;

    public DeadLetters(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Sets the filter every kept payload passes through; call while wiring. */
    public void filterWith(PayloadFilter filter) {
        this.filter = filter;
    }

    /** Writer thread: stores one dead letter in the current transaction. */
    public void record(Tx tx, String source, String address, String deviceId, Rejection rejection, byte[] payload)
            throws SQLException {
        PreparedStatement ps = tx.prepare(
                "INSERT INTO dead_letter (at_ms, source, address, device_id, reason, detail, size, payload) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, source);
        ps.setString(3, address);
        ps.setString(4, deviceId);
        ps.setString(5, rejection.reason().code());
        ps.setString(6, rejection.detail());
        ps.setInt(7, payload.length);
        byte[] kept = filter.keep(address, payload);
        ps.setBytes(8, kept.length > KEPT_BYTES ? Arrays.copyOf(kept, KEPT_BYTES) : kept);
        ps.executeUpdate();
        Counter counter = Counter.builder("gateway_deadletters").description("inputs kept as dead letters")
                .tag("source", source).tag("reason", rejection.reason().code()).register(metrics);
        tx.afterCommit(counter::increment);
    }
}
