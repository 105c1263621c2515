package com.retailedge.gateway.outbox;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RecentEventsTest {
    private static StoredEvent event(long sequence) {
        return new StoredEvent(sequence, "id-" + sequence, "t", "s", 0, "{\"sequence\":" + sequence + "}");
    }

    @Test
    void gives_a_range_it_holds_in_order() {
        RecentEvents recent = new RecentEvents(8);
        for (long s = 1; s <= 5; s++) {
            recent.committed(event(s));
        }
        assertEquals(
                List.of(2L, 3L, 4L),
                recent.range(2, 4).stream().map(StoredEvent::sequence).toList());
    }

    @Test
    void misses_what_was_never_committed_or_was_overwritten() {
        RecentEvents recent = new RecentEvents(4);
        for (long s = 1; s <= 6; s++) {
            recent.committed(event(s));
        }
        assertNull(recent.range(1, 3), "1 and 2 were overwritten by 5 and 6");
        assertNull(recent.range(5, 7), "7 is not committed");
        assertNull(recent.range(1, 8), "wider than the ring");
        assertNull(recent.range(4, 3), "an empty range reads nothing");
        assertEquals(4, recent.range(3, 6).size());
    }
}
