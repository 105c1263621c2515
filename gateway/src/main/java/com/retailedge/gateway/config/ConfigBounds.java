package com.retailedge.gateway.config;

import java.time.Duration;
import java.util.Map;

/**
 * The least and greatest value of every duration key. A value outside stops start-up naming the key: the
 * gateway never clamps one silently, and never takes a zero where zero would break it (a {@code 0s}
 * {@code cloud.ack-timeout} would call every connection stalled, a {@code 0s} {@code cloud.keep-alive} would
 * turn keep-alive off). Whole-number keys carry their range where {@link ConfigLoader} reads them; a test holds
 * both to every key.
 */
final class ConfigBounds {
    /** An inclusive range. */
    record Range(Duration min, Duration max) {
        String text() {
            return Durations.format(min) + ".." + Durations.format(max);
        }
    }

    private static final Map<String, Range> DURATIONS = Map.ofEntries(
            range("cloud.reconnect-max", Duration.ofMillis(100), Duration.ofHours(1)),
            // MQTT carries the keep-alive as a 16-bit number of seconds.
            range("cloud.keep-alive", Duration.ofSeconds(1), Duration.ofSeconds(65_535)),
            range("cloud.ack-timeout", Duration.ofSeconds(1), Duration.ofHours(1)),
            range("cloud.heartbeat", Duration.ofSeconds(1), Duration.ofDays(1)),
            range("http.idle-timeout", Duration.ofSeconds(1), Duration.ofHours(1)),
            range("http.header-timeout", Duration.ofSeconds(1), Duration.ofMinutes(5)),
            range("api.online-window", Duration.ofSeconds(1), Duration.ofDays(7)),
            range("outbox.retention", Duration.ofMinutes(1), Duration.ofDays(3650)),
            // 0ms turns debouncing off, which tests and bench runs want.
            range("buttons.debounce", Duration.ZERO, Duration.ofMinutes(10)),
            range("buttons.cancel-window", Duration.ofSeconds(1), Duration.ofHours(24)),
            range("buttons.max-press-age", Duration.ofSeconds(1), Duration.ofDays(30)),
            range("members.visit-window", Duration.ofSeconds(1), Duration.ofDays(7)),
            range("picking.pda-timeout", Duration.ofSeconds(1), Duration.ofDays(1)),
            range("deadletters.retention", Duration.ofHours(1), Duration.ofDays(3650)),
            range("picking.late-check", Duration.ofMillis(100), Duration.ofHours(1)),
            range("labels.ack-timeout", Duration.ofMillis(10), Duration.ofMinutes(1)),
            // The backoff starts at 1s, so a shorter longest wait would be no backoff at all.
            range("labels.retry-max", Duration.ofSeconds(1), Duration.ofHours(24)),
            range("labels.deadline", Duration.ofSeconds(1), Duration.ofDays(30)),
            range("labels.not-seen", Duration.ofMinutes(1), Duration.ofDays(365)));

    /** Sizes: at least enough for a working outbox, at most what a long holds without overflow. */
    static final long MIN_SIZE = 1024L * 1024;
    static final long MAX_SIZE = 1024L * 1024 * 1024 * 1024;

    private ConfigBounds() {
    }

    private static Map.Entry<String, Range> range(String key, Duration min, Duration max) {
        return Map.entry(key, new Range(min, max));
    }

    /** The range of a duration key, or null when none is declared (a test fails for such a key). */
    static Range duration(String key) {
        return DURATIONS.get(key);
    }

    /** @throws ConfigException naming the key when {@code value} is outside its range */
    static Duration check(String key, Duration value) {
        Range range = DURATIONS.get(key);
        if (range != null && (value.compareTo(range.min()) < 0 || value.compareTo(range.max()) > 0)) {
            throw new ConfigException(key, Durations.format(value) + " is outside " + range.text());
        }
        return value;
    }
}
