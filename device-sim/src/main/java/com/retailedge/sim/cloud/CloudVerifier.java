package com.retailedge.sim.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keeps the books on the events the cloud received: validity, duplicate ids, gaps and order of
 * {@code sequence}, counts by type, and which device msgIds arrived. Thread-safe: events arrive on
 * a Paho thread while the progress printer reads.
 *
 * <p>Rules: a repeated {@code id} is a duplicate (fine under QoS 1, the cloud de-duplicates) and
 * takes no further part, unless it comes with a different sequence, which is invalid. A new id
 * whose sequence is below the highest seen so far is out of order; a new id reusing a sequence
 * already taken is invalid. Missing counts the numbers between the lowest and highest sequence
 * that never arrived.
 */
public final class CloudVerifier {
    static final int MAX_REASONS = 10;

    private final ObjectMapper json = new ObjectMapper();
    private final EventChecks checks;
    private final Map<String, Long> sequenceById = new HashMap<>();
    private final Set<Long> sequences = new HashSet<>();
    private final Set<String> msgIds = new HashSet<>();
    private final Map<String, Long> byType = new TreeMap<>();
    private final List<String> invalidReasons = new ArrayList<>();
    private long received;
    private long duplicates;
    private long outOfOrder;
    private long invalid;
    private long highest = Long.MIN_VALUE;
    private long lowest = Long.MAX_VALUE;
    private long lastArrivalNanos;

    /** @param storeId the store whose events are expected ({@code source} is {@code /stores/{storeId}}) */
    public CloudVerifier(String storeId) {
        this.checks = new EventChecks(storeId);
    }

    /** Takes one received message payload. */
    public synchronized void accept(String payload) {
        received++;
        lastArrivalNanos = System.nanoTime();
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (JsonProcessingException e) {
            invalid("not JSON: " + abbreviate(payload));
            return;
        }
        if (event == null || !event.isObject()) {
            invalid("not a JSON object: " + abbreviate(payload));
            return;
        }
        List<String> problems = checks.problems(event);
        String id = event.path("id").isTextual() ? event.get("id").asText() : null;
        Long seq = event.path("sequence").isIntegralNumber()
                ? event.get("sequence").asLong()
                : null;

        if (id != null && sequenceById.containsKey(id)) {
            duplicates++;
            Long first = sequenceById.get(id);
            if (seq != null && first != null && !first.equals(seq)) {
                invalid("id " + id + " re-sent with sequence " + seq + ", first seen with " + first);
            }
            return;
        }
        if (id != null) {
            sequenceById.put(id, seq);
        }
        if (seq != null) {
            if (!sequences.add(seq)) {
                problems.add("sequence " + seq + " reused by a different id " + id);
            } else {
                if (seq < highest) {
                    outOfOrder++;
                }
                highest = Math.max(highest, seq);
                lowest = Math.min(lowest, seq);
            }
        }
        String type = event.path("type").isTextual() ? event.get("type").asText() : "(none)";
        byType.merge(type, 1L, Long::sum);
        JsonNode msgId = event.path("data").path("msgId");
        if (msgId.isTextual()) {
            msgIds.add(msgId.asText());
        }
        if (!problems.isEmpty()) {
            invalid((id == null ? "event" : "event " + id) + ": " + String.join("; ", problems));
        }
    }

    private void invalid(String reason) {
        invalid++;
        if (invalidReasons.size() < MAX_REASONS) {
            invalidReasons.add(reason);
        }
    }

    /** Messages received so far, duplicates included. */
    public synchronized long received() {
        return received;
    }

    /** Distinct event ids received so far. */
    public synchronized long distinct() {
        return sequenceById.size();
    }

    /** {@link System#nanoTime()} of the last arrival, or 0 before the first. */
    public synchronized long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** Whether an event with this {@code data.msgId} arrived. */
    public synchronized boolean sawMsgId(String msgId) {
        return msgIds.contains(msgId);
    }

    /**
     * The books so far.
     *
     * @param expectedMsgIds msgIds the gateway acknowledged to devices; those that never arrived as
     *     {@code data.msgId} are reported lost. Empty when there is nothing to compare.
     */
    public synchronized VerifierReport report(Collection<String> expectedMsgIds) {
        long missing = sequences.isEmpty() ? 0 : (highest - lowest + 1) - sequences.size();
        List<String> lost = new ArrayList<>();
        long lostCount = 0;
        Map<String, Long> lostByKind = new TreeMap<>();
        for (String m : expectedMsgIds) {
            if (!msgIds.contains(m)) {
                lostCount++;
                int dash = m.indexOf('-');
                lostByKind.merge(dash > 0 ? m.substring(0, dash) : m, 1L, Long::sum);
                if (lost.size() < 20) {
                    lost.add(m);
                }
            }
        }
        return new VerifierReport(
                received,
                sequenceById.size(),
                duplicates,
                missing,
                outOfOrder,
                invalid,
                List.copyOf(invalidReasons),
                sequences.isEmpty() ? null : lowest,
                sequences.isEmpty() ? null : highest,
                new TreeMap<>(byType),
                expectedMsgIds.size(),
                lostCount,
                lost,
                lostByKind);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
