package com.retailedge.sim.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cloud verifier's books, fed with event strings directly. */
class CloudVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CloudVerifier verifier = new CloudVerifier("s001");

    /** A contract-conforming event. */
    private static ObjectNode event(String id, long sequence, String msgId) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", "/stores/s001");
        e.put("type", "retail.scan.accepted");
        e.put("time", "2025-11-23T00:27:00.123Z");
        e.put("subject", "pda-1");
        e.put("sequence", sequence);
        e.putObject("data").put("msgId", msgId);
        return e;
    }

    private static String event(long sequence) {
        return event(UUID.randomUUID().toString(), sequence, "pda-1-" + sequence + "-r")
                .toString();
    }

    @Test
    void a_clean_ordered_stream_passes() {
        for (long s = 1; s <= 5; s++) {
            verifier.accept(event(s));
        }
        VerifierReport r = verifier.report(List.of("pda-1-1-r", "pda-1-5-r"));
        assertTrue(r.passed(), r.toText());
        assertEquals(5, r.received());
        assertEquals(5, r.distinctIds());
        assertEquals(5L, r.byType().get("retail.scan.accepted"));
        assertEquals(1L, r.lowestSequence());
        assertEquals(5L, r.highestSequence());
    }

    @Test
    void a_redelivered_event_is_a_duplicate_but_not_a_failure() {
        String once = event(1);
        verifier.accept(once);
        verifier.accept(once);
        verifier.accept(event(2));
        VerifierReport r = verifier.report(List.of());
        assertEquals(3, r.received());
        assertEquals(2, r.distinctIds());
        assertEquals(1, r.duplicates());
        assertEquals(0, r.outOfOrder(), "an exact duplicate is not out of order");
        assertTrue(r.passed(), r.toText());
    }

    @Test
    void gaps_between_lowest_and_highest_sequence_are_missing() {
        verifier.accept(event(10));
        verifier.accept(event(11));
        verifier.accept(event(14));
        VerifierReport r = verifier.report(List.of());
        assertEquals(2, r.missing());
        assertFalse(r.passed());
    }

    @Test
    void a_late_new_event_is_out_of_order_and_fills_its_gap() {
        verifier.accept(event(1));
        verifier.accept(event(3));
        verifier.accept(event(2));
        VerifierReport r = verifier.report(List.of());
        assertEquals(1, r.outOfOrder());
        assertEquals(0, r.missing());
        assertFalse(r.passed());
    }

    @Test
    void the_same_id_with_another_sequence_is_invalid() {
        String id = UUID.randomUUID().toString();
        verifier.accept(event(id, 1, "m1").toString());
        verifier.accept(event(id, 2, "m1").toString());
        VerifierReport r = verifier.report(List.of());
        assertEquals(1, r.duplicates());
        assertEquals(1, r.invalid());
        assertTrue(
                r.invalidReasons().get(0).contains("re-sent with sequence 2"),
                r.invalidReasons().toString());
    }

    @Test
    void a_sequence_reused_by_another_id_is_invalid() {
        verifier.accept(event(1));
        verifier.accept(event(1));
        VerifierReport r = verifier.report(List.of());
        assertEquals(0, r.duplicates());
        assertEquals(1, r.invalid());
        assertTrue(
                r.invalidReasons().get(0).contains("sequence 1 reused"),
                r.invalidReasons().toString());
    }

    @Test
    void acked_msg_ids_that_never_arrived_are_lost() {
        verifier.accept(event(1));
        VerifierReport r = verifier.report(List.of("pda-1-1-r", "pda-1-2-r", "button-3-1-r"));
        assertEquals(3, r.expectedMsgIds());
        assertEquals(2, r.lost());
        assertEquals(List.of("pda-1-2-r", "button-3-1-r"), r.lostSample());
        assertEquals(java.util.Map.of("pda", 1L, "button", 1L), r.lostByKind());
        assertFalse(r.passed());
    }

    @Test
    void at_most_twenty_lost_msg_ids_are_listed() {
        List<String> acked =
                java.util.stream.IntStream.range(0, 50).mapToObj(i -> "m" + i).toList();
        VerifierReport r = verifier.report(acked);
        assertEquals(50, r.lost());
        assertEquals(20, r.lostSample().size());
    }

    static List<Arguments> brokenEvents() {
        return List.of(
                broken("specversion", e -> e.put("specversion", "0.3")),
                broken("id must be a UUID", e -> e.put("id", "not-a-uuid")),
                broken("source must be", e -> e.put("source", "/stores/s002")),
                broken("type", e -> e.remove("type")),
                broken("time is not ISO-8601", e -> e.put("time", "yesterday")),
                broken("time must be", e -> e.put("time", 1700000000)),
                broken("subject", e -> e.put("subject", "")),
                broken("data must be a JSON object", e -> e.put("data", "pda-1")),
                broken("data must be a JSON object", e -> e.remove("data")),
                broken("sequence must be an integer", e -> e.put("sequence", "1")),
                broken("sequence must be an integer", e -> e.put("sequence", 1.5)));
    }

    private static Arguments broken(String reason, Consumer<ObjectNode> damage) {
        ObjectNode e = event(UUID.randomUUID().toString(), 1, "m1");
        damage.accept(e);
        return Arguments.of(reason, e.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenEvents")
    void each_broken_field_makes_the_event_invalid_with_a_reason(String reason, String payload) {
        verifier.accept(payload);
        VerifierReport r = verifier.report(List.of());
        assertEquals(1, r.invalid());
        assertTrue(
                r.invalidReasons().get(0).contains(reason), r.invalidReasons().toString());
        assertFalse(r.passed());
    }

    @Test
    void non_json_and_non_objects_are_invalid() {
        verifier.accept("{not json");
        verifier.accept("[1,2]");
        verifier.accept("");
        VerifierReport r = verifier.report(List.of());
        assertEquals(3, r.received());
        assertEquals(3, r.invalid());
        assertTrue(
                r.invalidReasons().get(0).startsWith("not JSON"),
                r.invalidReasons().toString());
    }

    @Test
    void only_the_first_reasons_are_kept() {
        for (int i = 0; i < 50; i++) {
            verifier.accept("nope " + i);
        }
        VerifierReport r = verifier.report(List.of());
        assertEquals(50, r.invalid());
        assertEquals(CloudVerifier.MAX_REASONS, r.invalidReasons().size());
    }

    @Test
    void acked_ids_file_ignores_blanks_and_repeats() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("acked", ".txt");
        try {
            java.nio.file.Files.writeString(f, "a\n\nb\na\n  c  \n");
            assertEquals(List.of("a", "b", "c"), List.copyOf(AckedIds.read(f)));
        } finally {
            java.nio.file.Files.delete(f);
        }
    }
}
