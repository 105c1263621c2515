package com.retailedge.gateway.labels.push;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.californium.core.coap.Request;

/**
 * One push on the air: its job, its CoAP request and its deadline. It ends exactly once, whichever comes first:
 * an answer, Californium's timeout, the response deadline, a newer version of the label, or the label's expiry.
 */
final class Flight {
    final PushJob job;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Request request;
    private volatile ScheduledFuture<?> deadline;

    Flight(PushJob job) {
        this.job = job;
    }

    void sending(Request r) {
        this.request = r;
    }

    void deadline(ScheduledFuture<?> d) {
        ScheduledFuture<?> before = deadline;
        deadline = d;
        if (before != null) {
            before.cancel(false);
        }
        if (ended.get()) {
            d.cancel(false);
        }
    }

    /** True for the one caller that ends it; the request, if still open, is cancelled so Californium drops it. */
    boolean end() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
        return true;
    }

    /** Ends it and cancels its request: it was replaced or given up on, and no answer matters any more. */
    boolean abandon() {
        if (!end()) {
            return false;
        }
        Request r = request;
        if (r != null && !r.isCanceled()) {
            r.cancel();
        }
        return true;
    }
}
