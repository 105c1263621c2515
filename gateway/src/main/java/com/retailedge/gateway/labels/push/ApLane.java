package com.retailedge.gateway.labels.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The pushes for one access point: at most one request per label and a bounded number per access point in
 * flight, price changes before cosmetic ones, and only the newest version of a label ever sent (a label that
 * changed three times while its access point was unreachable gets the third). A newer version never waits behind
 * an older one on the air: the older is abandoned and its slot given to the newer. Guarded by its own monitor;
 * the caller sends, and cancels what this returns, outside it.
 */
final class ApLane {
    private record Ticket(int priority, long seq, String labelId, long version) {}

    private final Map<String, PushJob> waiting = new HashMap<>();
    private final Map<String, Long> newest = new HashMap<>();
    private final PriorityQueue<Ticket> ready =
            new PriorityQueue<>(Comparator.comparingInt(Ticket::priority).thenComparingLong(Ticket::seq));
    private final Map<String, Flight> inFlight = new HashMap<>();
    /** The newest version each label gave up on: a retry of it that was already scheduled is not sent. */
    private final Map<String, Long> gaveUp = new HashMap<>();

    private long seq;

    /**
     * Queues a job. Returns the flight it replaces, to be abandoned by the caller: an older version on the air, or
     * the same version when this is a fresh offer (an operator's retry, a restart) rather than a retry of its own.
     * Returns null when nothing is replaced; {@code queued} is then false if the job was dropped (a newer version is
     * known, or the same version is already on the air).
     */
    synchronized Offer offer(PushJob job) {
        Long known = newest.get(job.labelId());
        if (known != null && known > job.version()) {
            return Offer.DROPPED;
        }
        Long abandoned = gaveUp.get(job.labelId());
        if (abandoned != null && abandoned >= job.version()) {
            if (job.attempt() > 0) {
                return Offer.DROPPED;
            }
            gaveUp.remove(job.labelId()); // an operator's retry: this version is wanted again
        }
        Flight flying = inFlight.get(job.labelId());
        Flight replaced = null;
        if (flying != null) {
            boolean fresh = job.attempt() == 0;
            if (flying.job.version() < job.version() || (fresh && flying.job.version() == job.version())) {
                inFlight.remove(job.labelId());
                replaced = flying;
            } else {
                return Offer.DROPPED;
            }
        }
        newest.put(job.labelId(), job.version());
        waiting.put(job.labelId(), job);
        ready.add(new Ticket(job.priority(), seq++, job.labelId(), job.version()));
        return new Offer(true, replaced);
    }

    /** What {@link #offer} did. */
    record Offer(boolean queued, Flight replaced) {
        static final Offer DROPPED = new Offer(false, null);
    }

    /** The jobs to send now, marked in flight, so that at most {@code maxInFlight} are. */
    synchronized List<Flight> takeSendable(int maxInFlight) {
        List<Flight> send = new ArrayList<>();
        while (inFlight.size() < maxInFlight && !ready.isEmpty()) {
            Ticket t = ready.poll();
            PushJob job = waiting.get(t.labelId());
            if (job == null || job.version() != t.version() || inFlight.containsKey(t.labelId())) {
                continue; // replaced by a newer version, or re-queued when the label's request in flight ends
            }
            waiting.remove(t.labelId());
            Flight flight = new Flight(job);
            inFlight.put(t.labelId(), flight);
            send.add(flight);
        }
        return send;
    }

    /** The flight ended; its slot is free, and a version of the label that arrived meanwhile becomes sendable. */
    synchronized void done(Flight flight) {
        String labelId = flight.job.labelId();
        if (inFlight.get(labelId) == flight) {
            inFlight.remove(labelId);
        }
        PushJob next = waiting.get(labelId);
        if (next != null && !inFlight.containsKey(labelId)) {
            ready.add(new Ticket(next.priority(), seq++, next.labelId(), next.version()));
        }
    }

    /**
     * The label gave up on versions up to {@code version} (its deadline passed): they are neither sent nor kept on
     * the air. Returns the flight to abandon, or null.
     */
    synchronized Flight giveUp(String labelId, long version) {
        gaveUp.merge(labelId, version, Math::max);
        PushJob queuedJob = waiting.get(labelId);
        if (queuedJob != null && queuedJob.version() <= version) {
            waiting.remove(labelId);
        }
        Flight flying = inFlight.get(labelId);
        if (flying != null && flying.job.version() <= version) {
            inFlight.remove(labelId);
            return flying;
        }
        return null;
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
