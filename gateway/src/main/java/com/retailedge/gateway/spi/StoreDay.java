package com.retailedge.gateway.spi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** "Today" in the store's time zone ({@code store.timezone}): from its local midnight to now. */
public record StoreDay(ZoneId zone, long startMs, long nowMs) {
    /** The store's day at {@code now}. */
    public static StoreDay at(ZoneId zone, Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        return new StoreDay(zone, today.atStartOfDay(zone).toInstant().toEpochMilli(), now.toEpochMilli());
    }

    public static String time(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
