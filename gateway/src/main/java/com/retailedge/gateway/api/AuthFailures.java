package com.retailedge.gateway.api;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed token checks per client address: each address may fail {@code api.auth-failures} times at once and
 * then once per {@link #REFILL_SECONDS} seconds; past that, every API request from it gets 429 until it may try again,
 * whatever token it shows, so guessing tokens costs minutes per handful instead of running at line speed.
 * A store's network holds a few dozen clients, so the table is small; it is bounded all the same.
 */
final class AuthFailures {
    static final int REFILL_SECONDS = 6;
    private static final int MAX_ADDRESSES = 10_000;
    private static final long REFILL_NANOS = REFILL_SECONDS * 1_000_000_000L;

    private final int burst;
    private final LongSupplier nanoClock;
    private final Map<String, Allowance> addresses = new ConcurrentHashMap<>();

    AuthFailures(int burst, LongSupplier nanoClock) {
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Nanoseconds until the address may try a token again; 0 when it may now. */
    long blockedFor(String address) {
        Allowance allowance = addresses.get(address);
        return allowance == null ? 0 : allowance.waitNanos(nanoClock.getAsLong());
    }

    /** Counts a failed token check from the address. */
    void failed(String address) {
        long now = nanoClock.getAsLong();
        if (addresses.size() >= MAX_ADDRESSES && !addresses.containsKey(address)) {
            forgetRecovered(now);
        }
        addresses.computeIfAbsent(address, a -> new Allowance(now)).spend(now);
    }

    private void forgetRecovered(long now) {
        addresses.values().removeIf(a -> a.isFull(now));
        Iterator<String> oldest = addresses.keySet().iterator();
        while (addresses.size() >= MAX_ADDRESSES && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Failures left, refilling continuously up to the burst. */
    private final class Allowance {
        private double left = burst;
        private long lastNanos;

        Allowance(long now) {
            this.lastNanos = now;
        }

        synchronized void spend(long now) {
            refill(now);
            left = Math.max(0, left - 1);
        }

        synchronized long waitNanos(long now) {
            refill(now);
            return left >= 1 ? 0 : (long) Math.ceil((1 - left) * REFILL_NANOS);
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return left >= burst;
        }

        private void refill(long now) {
            left = Math.min(burst, left + (double) (now - lastNanos) / REFILL_NANOS);
            lastNanos = now;
        }
    }
}
