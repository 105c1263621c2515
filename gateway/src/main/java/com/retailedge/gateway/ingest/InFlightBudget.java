package com.retailedge.gateway.ingest;

import com.retailedge.gateway.config.ConfigKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the device messages taken in and not yet durable, by count and by payload bytes, across all transports and
 * connections. Each connection's own bound ({@code mqtt.max-pending}) does not bound their sum, nor CoAP; this does,
 * so a flood from many devices meets a clear refusal (CoAP 5.03, MQTT no PUBACK) instead of filling the heap.
 */
public final class InFlightBudget {
    /** The defaults of store.max-in-flight and store.max-in-flight-bytes: far above what the writer drains per
     * commit (store.writer-batch), far below what fills a small heap. Read from the keys: one source of each. */
    public static final int MAX_MESSAGES = ConfigKeys.STORE_MAX_IN_FLIGHT.read(Map.of());

    public static final long MAX_BYTES = ConfigKeys.STORE_MAX_IN_FLIGHT_BYTES.read(Map.of());

    private final int maxMessages;
    private final long maxBytes;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Counter refused;

    public InFlightBudget(int maxMessages, long maxBytes, MeterRegistry metrics) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.refused = Counter.builder("gateway_ingest_overload_refusals")
                .description("device messages refused because too many were waiting for the store")
                .register(metrics);
        metrics.gauge("gateway_ingest_in_flight_messages", messages);
        metrics.gauge("gateway_ingest_in_flight_bytes", bytes);
    }

    /** Takes room for one message of {@code size} bytes; false (and counted) when the gateway is at its cap. */
    public boolean tryAcquire(int size) {
        if (messages.incrementAndGet() > maxMessages) {
            messages.decrementAndGet();
            refused.increment();
            return false;
        }
        if (bytes.addAndGet(size) > maxBytes) {
            release(size);
            refused.increment();
            return false;
        }
        return true;
    }

    public void release(int size) {
        messages.decrementAndGet();
        bytes.addAndGet(-size);
    }
}
