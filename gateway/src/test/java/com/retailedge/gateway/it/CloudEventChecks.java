package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.testsupport.GatewayEnv;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the cloud may rely on in every event it receives (CONTRACT §4), as assertions. */
final class CloudEventChecks {
    private CloudEventChecks() {}

    /**
     * specversion 1.0, a UUID id, source {@code /stores/s001}, a type, an ISO-8601 UTC time, a subject, a data
     * object and an integer {@code sequence} of at least 1.
     */
    static void assertWellFormed(JsonNode event) {
        String where = "event " + event;
        assertEquals("1.0", event.path("specversion").asText(null), "specversion of " + where);
        String id = event.path("id").asText("");
        assertDoesNotThrow(() -> UUID.fromString(id), "id must be a UUID: " + where);
        assertEquals(UUID.fromString(id).toString(), id.toLowerCase(), "id must be a canonical UUID: " + where);
        assertEquals("/stores/" + GatewayEnv.STORE, event.path("source").asText(null), "source of " + where);
        assertTrue(
                event.path("type").isTextual() && !event.get("type").textValue().isEmpty(), "type of " + where);
        assertTrue(event.path("time").isTextual(), "time of " + where);
        assertDoesNotThrow(() -> Instant.parse(event.get("time").textValue()), "time must be ISO-8601 UTC: " + where);
        assertTrue(
                event.path("subject").isTextual()
                        && !event.get("subject").textValue().isEmpty(),
                "subject of " + where);
        assertTrue(event.path("data").isObject(), "data must be an object: " + where);
        JsonNode sequence = event.path("sequence");
        assertTrue(
                sequence.isIntegralNumber() && sequence.canConvertToLong() && sequence.longValue() >= 1,
                "sequence must be an integer >= 1: " + where);
    }

    static void assertAllWellFormed(Collection<JsonNode> events) {
        events.forEach(CloudEventChecks::assertWellFormed);
    }

    /**
     * The distinct events, in the order they first arrived, carry sequences 1, 2, 3, ... : strictly increasing
     * and without a gap.
     */
    static void assertFirstArrivalsAreOneToN(List<JsonNode> distinctInArrivalOrder) {
        for (int i = 0; i < distinctInArrivalOrder.size(); i++) {
            long sequence = distinctInArrivalOrder.get(i).path("sequence").asLong(-1);
            if (sequence != i + 1) {
                fail("first arrival #" + (i + 1) + " has sequence " + sequence + " (expected " + (i + 1)
                        + "); sequences around it: " + sequencesAround(distinctInArrivalOrder, i));
            }
        }
    }

    /** Each distinct event has its own sequence and together they are exactly 1..max. */
    static void assertSequencesGapFree(Collection<JsonNode> distinctEvents) {
        Map<Long, String> idBySequence = new HashMap<>();
        for (JsonNode e : distinctEvents) {
            String previous =
                    idBySequence.put(e.path("sequence").asLong(), e.path("id").asText());
            if (previous != null) {
                fail("sequence " + e.path("sequence").asLong() + " was given to events " + previous + " and "
                        + e.path("id").asText());
            }
        }
        long max =
                idBySequence.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        List<Long> gaps = new ArrayList<>();
        for (long s = 1; s <= max; s++) {
            if (!idBySequence.containsKey(s)) {
                gaps.add(s);
            }
        }
        assertTrue(gaps.isEmpty(), "sequences missing from 1.." + max + ": " + first(gaps, 20));
    }

    /** Every msgId is carried by exactly one of the distinct events. */
    static void assertOneEventPerMsgId(Collection<JsonNode> distinctEvents, Collection<String> msgIds) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode e : distinctEvents) {
            counts.merge(e.path("data").path("msgId").asText(""), 1, Integer::sum);
        }
        Set<String> missing = new HashSet<>();
        Map<String, Integer> repeated = new HashMap<>();
        for (String msgId : msgIds) {
            int n = counts.getOrDefault(msgId, 0);
            if (n == 0) {
                missing.add(msgId);
            } else if (n > 1) {
                repeated.put(msgId, n);
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " msgIds have no event: " + first(missing, 20));
        assertTrue(repeated.isEmpty(), "msgIds on more than one distinct event: " + repeated);
    }

    /** No distinct event carries any of these msgIds. */
    static void assertNoEventFor(Collection<JsonNode> distinctEvents, Collection<String> msgIds) {
        for (JsonNode e : distinctEvents) {
            String msgId = e.path("data").path("msgId").asText("");
            assertFalse(msgIds.contains(msgId), "msgId " + msgId + " should have caused no event, but did: " + e);
        }
    }

    private static String sequencesAround(List<JsonNode> events, int i) {
        List<Long> around = new ArrayList<>();
        for (int j = Math.max(0, i - 5); j < Math.min(events.size(), i + 5); j++) {
            around.add(events.get(j).path("sequence").asLong());
        }
        return around.toString();
    }

    private static <T> List<T> first(Collection<T> items, int n) {
        return items.stream().limit(n).toList();
    }
}
