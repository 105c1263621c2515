package com.retailedge.gateway.outbox;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdsTest {
    @Test
    void ids_are_rfc_9562_version_7_with_their_time_and_do_not_repeat() {
        EventIds ids = new EventIds();
        long now = 1_795_000_000_123L;
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            UUID id = ids.next(now);
            assertEquals(7, id.version());
            assertEquals(2, id.variant(), "the RFC 4122/9562 variant");
            assertEquals(now, id.getMostSignificantBits() >>> 16, "the first 48 bits are the creation time");
            assertTrue(seen.add(id), "repeated id " + id);
        }
    }

    @Test
    void two_generators_started_in_the_same_millisecond_give_different_ids() {
        long now = System.currentTimeMillis();
        Set<UUID> seen = new HashSet<>();
        for (int g = 0; g < 100; g++) {
            EventIds ids = new EventIds();
            for (int i = 0; i < 100; i++) {
                assertTrue(seen.add(ids.next(now)));
            }
        }
    }
}
