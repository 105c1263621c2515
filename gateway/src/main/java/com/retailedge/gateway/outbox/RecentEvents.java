package com.retailedge.gateway.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recently committed events, by sequence, in a ring: the forwarder sends what was just committed without
 * reading it back from SQLite. The writer thread fills a slot after the commit that holds its event; any thread
 * reads. A slot already overwritten by a later event (the reader fell more than the ring behind, as after an
 * outage) is a miss, and the reader goes to the database.
 */
final class RecentEvents {
    private final AtomicReferenceArray<StoredEvent> ring;

    RecentEvents(int capacity) {
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    /** Writer thread, after the commit that stored {@code event}. */
    void committed(StoredEvent event) {
        ring.set(slot(event.sequence()), event);
    }

    /**
     * The events {@code first..last}, in order, or null unless the ring still holds every one of them; the caller
     * makes sure they are committed.
     */
    List<StoredEvent> range(long first, long last) {
        if (first > last || last - first >= ring.length()) {
            return null;
        }
        List<StoredEvent> events = new ArrayList<>((int) (last - first + 1));
        for (long sequence = first; sequence <= last; sequence++) {
            StoredEvent event = ring.get(slot(sequence));
            if (event == null || event.sequence() != sequence) {
                return null;
            }
            events.add(event);
        }
        return events;
    }

    private int slot(long sequence) {
        return (int) Math.floorMod(sequence, (long) ring.length());
    }
}
