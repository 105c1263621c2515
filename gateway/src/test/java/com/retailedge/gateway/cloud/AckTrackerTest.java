package com.retailedge.gateway.cloud;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The acknowledged cursor moves only over contiguous PUBACKs, so a restart resends from it and the cloud
 * never sees a gap; the bytes released are exactly those of the events the cursor passed.
 */
class AckTrackerTest {

    @Test
    void given_pubacks_in_order_then_the_cursor_follows_each_one() {
        AckTracker tracker = new AckTracker(10);
        tracker.sent(11, 100);
        tracker.sent(12, 200);
        tracker.sent(13, 300);
        assertEquals(3, tracker.inFlight());

        assertEquals(100, tracker.acknowledged(11));
        assertEquals(11, tracker.contiguous());
        assertEquals(200, tracker.acknowledged(12));
        assertEquals(12, tracker.contiguous());
        assertEquals(300, tracker.acknowledged(13));
        assertEquals(13, tracker.contiguous());
        assertEquals(0, tracker.inFlight());
    }

    @Test
    void given_pubacks_out_of_order_then_the_cursor_waits_for_the_gap_and_then_jumps() {
        AckTracker tracker = new AckTracker(0);
        for (long s = 1; s <= 4; s++) {
            tracker.sent(s, 10 * (int) s);
        }
        assertEquals(0, tracker.acknowledged(3), "3 is not contiguous while 1 and 2 are open");
        assertEquals(0, tracker.acknowledged(2));
        assertEquals(0, tracker.contiguous());
        assertEquals(4, tracker.inFlight(), "acknowledged above the cursor still counts as held");

        assertEquals(10 + 20 + 30, tracker.acknowledged(1), "1 closes the gap: 1, 2 and 3 are released together");
        assertEquals(3, tracker.contiguous());
        assertEquals(1, tracker.inFlight());

        assertEquals(40, tracker.acknowledged(4));
        assertEquals(4, tracker.contiguous());
    }

    @Test
    void given_a_duplicate_puback_then_nothing_is_released_twice() {
        AckTracker tracker = new AckTracker(0);
        tracker.sent(1, 50);
        tracker.sent(2, 60);
        tracker.sent(3, 70);

        assertEquals(0, tracker.acknowledged(2));
        assertEquals(0, tracker.acknowledged(2), "a second PUBACK above the cursor changes nothing");
        assertEquals(50 + 60, tracker.acknowledged(1));
        assertEquals(0, tracker.acknowledged(1), "a second PUBACK below the cursor changes nothing");
        assertEquals(0, tracker.acknowledged(2));
        assertEquals(2, tracker.contiguous());
        assertEquals(70, tracker.acknowledged(3));
        assertEquals(0, tracker.acknowledged(3));
        assertEquals(3, tracker.contiguous());
    }

    @Test
    void given_a_puback_for_something_never_sent_then_it_is_ignored() {
        AckTracker tracker = new AckTracker(5);
        tracker.sent(6, 1);
        assertEquals(0, tracker.acknowledged(7));
        assertEquals(0, tracker.acknowledged(5));
        assertEquals(0, tracker.acknowledged(-1));
        assertEquals(5, tracker.contiguous());
        assertEquals(1, tracker.acknowledged(6));
        assertEquals(6, tracker.contiguous());
    }

    @Test
    void given_an_unacknowledged_event_of_zero_bytes_then_it_still_holds_the_cursor() {
        AckTracker tracker = new AckTracker(0);
        tracker.sent(1, 0);
        tracker.sent(2, 5);
        assertEquals(0, tracker.acknowledged(2));
        assertEquals(0, tracker.contiguous(), "sequence 1 is not acknowledged, whatever its size");
        assertEquals(5, tracker.acknowledged(1));
        assertEquals(2, tracker.contiguous());
    }

    @Test
    void given_a_lost_link_when_reset_then_the_cursor_stays_and_everything_open_is_forgotten() {
        AckTracker tracker = new AckTracker(0);
        tracker.sent(1, 10);
        tracker.sent(2, 20);
        tracker.sent(3, 30);
        tracker.acknowledged(1);
        tracker.acknowledged(3);

        tracker.resetToCursor();
        assertEquals(1, tracker.contiguous(), "the durable cursor does not move back");
        assertEquals(0, tracker.inFlight());
        assertEquals(0, tracker.acknowledged(2), "a late PUBACK from the old connection is ignored");
        assertEquals(1, tracker.contiguous());

        // Resent from the cursor on the new connection: 2 and 3 again, acknowledged once each.
        tracker.sent(2, 20);
        tracker.sent(3, 30);
        assertEquals(0, tracker.acknowledged(3));
        assertEquals(20 + 30, tracker.acknowledged(2));
        assertEquals(3, tracker.contiguous());
        assertEquals(0, tracker.inFlight());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void given_any_order_of_pubacks_with_repeats_then_the_cursor_ends_at_the_last_and_releases_every_byte_once(
            long seed) {
        Random random = new Random(seed);
        int n = 500;
        AckTracker tracker = new AckTracker(1000);
        long totalBytes = 0;
        List<Long> acks = new ArrayList<>();
        for (long s = 1001; s <= 1000 + n; s++) {
            int bytes = 1 + random.nextInt(900);
            tracker.sent(s, bytes);
            totalBytes += bytes;
            acks.add(s);
            if (random.nextInt(5) == 0) {
                acks.add(s);
            }
        }
        Collections.shuffle(acks, random);
        long released = 0;
        long cursor = tracker.contiguous();
        for (long s : acks) {
            released += tracker.acknowledged(s);
            long now = tracker.contiguous();
            assertEquals(true, now >= cursor, "the cursor never moves back");
            cursor = now;
        }
        assertEquals(1000 + n, tracker.contiguous());
        assertEquals(totalBytes, released);
        assertEquals(0, tracker.inFlight());
    }
}
