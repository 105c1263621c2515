package com.retailedge.gateway.testsupport;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadLeaksTest {
    @Test
    void a_thread_started_after_the_snapshot_and_still_running_is_named_and_one_that_ended_is_not() throws Exception {
        ThreadLeaks leaks = ThreadLeaks.before();
        CountDownLatch stop = new CountDownLatch(1);
        Thread timer = new Thread(
                () -> {
                    try {
                        stop.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "forgotten-timer");
        timer.setDaemon(true);
        timer.start();
        AssertionError left = assertThrows(AssertionError.class, () -> leaks.assertNoneLeft(Duration.ofMillis(200)));
        assertTrue(left.getMessage().contains("forgotten-timer"), left.getMessage());

        stop.countDown();
        leaks.assertNoneLeft(Duration.ofSeconds(5));
    }
}
