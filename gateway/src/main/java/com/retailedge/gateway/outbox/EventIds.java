package com.retailedge.gateway.outbox;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * CloudEvents ids: UUID version 7 (RFC 9562), the creation time in milliseconds followed by 74 random bits.
 * {@code UUID.randomUUID()} draws every id from {@code SecureRandom}, whose SHA-1 mixing took a fifth of the
 * writer thread at full load. Ids need to be unique, not secret, so the random bits come from a fast generator
 * with 384 bits of state, seeded once from {@code SecureRandom}; the time prefix keeps ids of different stores
 * and restarts apart on top of that, and sorts them roughly by creation, which suits the cloud's indexes.
 */
final class EventIds {
    private final RandomGenerator random;

    EventIds() {
        byte[] seed = new byte[48];
        new SecureRandom().nextBytes(seed);
        this.random = RandomGeneratorFactory.of("L128X256MixRandom").create(seed);
    }

    /** A new id; synchronized because the generator is not thread-safe (in practice only the writer calls). */
    synchronized UUID next(long epochMillis) {
        long mostSignificant = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random.nextLong() & 0x0FFFL);
        long leastSignificant = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant);
    }
}
