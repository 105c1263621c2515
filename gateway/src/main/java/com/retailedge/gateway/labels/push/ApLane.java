package com.retailedge.gateway.labels.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The pushes for one access point: at most one request per label and a bounded number per access point in
 * flight, price changes before cosmetic ones, and only the newest version of a label ever sent (a label that
 * changed three times while its access point was unreachable gets the third). Guarded by its own monitor;
 * the caller sends outside it.
 */
final class ApLane {
    private record Ticket(int priority, long seq, String labelId, long version) {
    }

    private final Map<String, PushJob> waiting = new HashMap<>();
    private final Map<String, Long> newest = new HashMap<>();
    private final PriorityQueue<Ticket> ready = new PriorityQueue<>(
            Comparator.comparingInt(Ticket::priority).thenComparingLong(Ticket::seq));
    private final Set<String> inFlight = new HashSet<>();
    private long seq;

    /** False when a newer version of the label is already known: the job is dropped (coalesced). */
    synchronized boolean offer(PushJob job) {
        Long known = newest.get(job.labelId());
        if (known != null && known > job.version()) {
            return false;
        }
        newest.put(job.labelId(), job.version());
        waiting.put(job.labelId(), job);
        ready.add(new Ticket(job.priority(), seq++, job.labelId(), job.version()));
        return true;
    }

    /** The jobs to send now, marked in flight, so that at most {@code maxInFlight} are. */
    synchronized List<PushJob> takeSendable(int maxInFlight) {
        List<PushJob> send = new ArrayList<>();
        while (inFlight.size() < maxInFlight && !ready.isEmpty()) {
            Ticket t = ready.poll();
            PushJob job = waiting.get(t.labelId());
            if (job == null || job.version() != t.version() || inFlight.contains(t.labelId())) {
                continue; // replaced by a newer version, or re-queued when the label's request in flight ends
            }
            waiting.remove(t.labelId());
            inFlight.add(t.labelId());
            send.add(job);
        }
        return send;
    }

    /** The label's request ended; a version that arrived meanwhile becomes sendable. */
    synchronized void done(String labelId) {
        inFlight.remove(labelId);
        PushJob next = waiting.get(labelId);
        if (next != null) {
            ready.add(new Ticket(next.priority(), seq++, next.labelId(), next.version()));
        }
    }

    /** Whether this version is still the newest known for the label (a retry of an older one is pointless). */
    synchronized boolean isNewest(PushJob job) {
        Long known = newest.get(job.labelId());
        return known == null || known <= job.version();
    }

    synchronized int queued() {
        return waiting.size();
    }

    synchronized int inFlight() {
        return inFlight.size();
    }
}
