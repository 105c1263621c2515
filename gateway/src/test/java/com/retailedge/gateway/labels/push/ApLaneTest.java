package com.retailedge.gateway.labels.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The order and coalescing of one access point's pushes, step by step. */
class ApLaneTest {
    private static PushJob job(String label, long version, int priority) {
        return new PushJob(label, "ap-1", version, priority, new byte[0], 0);
    }

    private static List<String> sent(List<PushJob> jobs) {
        return jobs.stream().map(j -> j.labelId() + "@" + j.version()).toList();
    }

    @Test
    void price_changes_go_before_cosmetic_ones_and_otherwise_first_come_first_served() {
        ApLane lane = new ApLane();
        lane.offer(job("name-1", 1, 1));
        lane.offer(job("price-1", 1, 0));
        lane.offer(job("name-2", 1, 1));
        lane.offer(job("price-2", 1, 0));
        assertEquals(List.of("price-1@1", "price-2@1", "name-1@1"), sent(lane.takeSendable(3)));
        assertEquals(List.of(), sent(lane.takeSendable(3)), "three in flight at most");
        lane.done("price-1");
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
    void a_newer_version_waits_for_the_labels_request_in_flight_and_an_older_retry_is_dropped() {
        ApLane lane = new ApLane();
        lane.offer(job("esl-1", 1, 0));
        assertEquals(List.of("esl-1@1"), sent(lane.takeSendable(10)));
        assertTrue(lane.offer(job("esl-1", 2, 0)));
        assertEquals(List.of(), sent(lane.takeSendable(10)), "one request per label at a time");
        assertFalse(lane.isNewest(job("esl-1", 1, 0)));
        lane.done("esl-1");
        assertFalse(lane.offer(job("esl-1", 1, 0).nextAttempt()), "a retry of the superseded version is dropped");
        assertEquals(List.of("esl-1@2"), sent(lane.takeSendable(10)));
    }
}
