package com.retailedge.gateway.api;

import com.retailedge.gateway.spi.ApiSupport;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per bearer token (one per role: the tokens are fixed by config), placed right after
 * {@link BearerAuth}. A caller over its rate gets 429 with {@code Retry-After} in whole seconds, so a
 * runaway client cannot take the store box's CPU from the devices.
 */
final class RateLimit implements Handler<RoutingContext> {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimit(int perSecond, int burst, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String role = ctx.get(BearerAuth.ROLE);
        long waitNanos = buckets.computeIfAbsent(role, r -> new Bucket(burst, nanoClock.getAsLong()))
                .take(nanoClock.getAsLong());
        if (waitNanos == 0) {
            ctx.next();
            return;
        }
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        ApiSupport.error(
                ctx,
                429,
                "rate-limited",
                "more than " + (long) perSecond + " requests per second with this token; retry in " + seconds + " s");
    }

    /** Tokens refill continuously at {@code perSecond} up to {@code burst}. */
    private final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }

        /** Takes one token: 0 when there was one, else the nanoseconds until there will be. */
        synchronized long take(long now) {
            tokens = Math.min(burst, tokens + (now - lastNanos) * perSecond / 1e9);
            lastNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
        }
    }
}
