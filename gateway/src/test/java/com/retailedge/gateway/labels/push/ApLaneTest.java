package com.retailedge.gateway.labels.push;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order and coalescing of one access point's pushes, step by step. */
class ApLaneTest {
    private static PushJob job(String label, long version, int priority) {
        return new PushJob(label, "ap-1", version, priority, new byte[0], 0);
    }

    private static List<String> sent(List<Flight> flights) {
        return flights.stream()
                .map(f -> f.job.labelId() + "@" + f.job.version())
                .toList();
    }

    @Test
    void price_changes_go_before_cosmetic_ones_and_otherwise_first_come_first_served() {
        ApLane lane = new ApLane();
        lane.offer(job("name-1", 1, 1));
        lane.offer(job("price-1", 1, 0));
        lane.offer(job("name-2", 1, 1));
        lane.offer(job("price-2", 1, 0));
        List<Flight> first = lane.takeSendable(3);
        assertEquals(List.of("price-1@1", "price-2@1", "name-1@1"), sent(first));
        assertEquals(List.of(), sent(lane.takeSendable(3)), "three in flight at most");
        lane.done(first.get(0));
        assertEquals(List.of("name-2@1"), sent(lane.takeSendable(3)));
    }

    @Test
    void a_label_that_changed_three_times_before_its_turn_is_sent_once_with_the_newest_version() {
        ApLane lane = new ApLane();
        lane.offer(job("esl-1", 1, 0));
        lane.offer(job("esl-1", 2, 1));
        lane.offer(job("esl-1", 3, 0));
        assertEquals(List.of("esl-1@3"), sent(lane.takeSendable(10)));
        assertEquals(0, lane.queued());
    }

    @Test
    void a_newer_version_takes_the_slot_of_an_older_one_on_the_air_and_an_older_retry_is_dropped() {
        ApLane lane = new ApLane();
        lane.offer(job("esl-1", 1, 0));
        Flight old = lane.takeSendable(1).get(0);
        ApLane.Offer newer = lane.offer(job("esl-1", 2, 0));
        assertTrue(newer.queued());
        assertSame(old, newer.replaced(), "the stuck older push is handed back to be abandoned");
        assertEquals(List.of("esl-1@2"), sent(lane.takeSendable(1)), "the newer one is sent at once, in the same slot");
        lane.done(old); // the abandoned flight's end does not free the newer one's slot
        assertEquals(1, lane.inFlight());
        assertFalse(lane.isNewest(job("esl-1", 1, 0)));
        assertFalse(lane.offer(job("esl-1", 1, 0).nextAttempt()).queued(), "a retry of the superseded version");
    }

    @Test
    void an_operators_fresh_offer_of_the_same_version_replaces_a_stuck_push_but_its_own_retry_does_not() {
        ApLane lane = new ApLane();
        lane.offer(job("esl-1", 4, 0));
        Flight stuck = lane.takeSendable(1).get(0);
        assertFalse(lane.offer(job("esl-1", 4, 0).nextAttempt()).queued(), "a retry while the version is on the air");
        assertSame(stuck, lane.offer(job("esl-1", 4, 0)).replaced());
        assertEquals(List.of("esl-1@4"), sent(lane.takeSendable(1)));
    }

    @Test
    void a_label_that_gave_up_frees_its_slot_for_the_next_label() {
        ApLane lane = new ApLane();
        lane.offer(job("esl-1", 1, 0));
        lane.offer(job("esl-2", 1, 0));
        Flight stuck = lane.takeSendable(1).get(0);
        assertEquals(List.of(), sent(lane.takeSendable(1)));
        assertNull(lane.giveUp("esl-1", 0), "an older version than the one on the air gives nothing up");
        assertSame(stuck, lane.giveUp("esl-1", 1));
        assertEquals(List.of("esl-2@1"), sent(lane.takeSendable(1)));
        assertFalse(lane.offer(job("esl-1", 1, 0).nextAttempt()).queued(), "a retry scheduled before it gave up");
        assertTrue(lane.offer(job("esl-1", 1, 0)).queued(), "an operator's retry of the version");
    }
}
