package com.retailedge.sim.cloud;

import java.util.List;
import java.util.Map;

/**
 * What the cloud verifier found.
 *
 * @param received messages received, duplicates included
 * @param distinctIds distinct event ids
 * @param duplicates messages whose id had been seen before
 * @param missing sequence numbers between the lowest and highest seen that never arrived
 * @param outOfOrder new events whose sequence was below the highest seen before them
 * @param invalid messages failing the contract's checks
 * @param invalidReasons the first few reasons
 * @param lowestSequence lowest sequence seen, or null
 * @param highestSequence highest sequence seen, or null
 * @param byType distinct events by type
 * @param expectedMsgIds msgIds the devices were told were accepted
 * @param lost how many of those never arrived as {@code data.msgId}
 * @param lostSample the first 20 lost msgIds
 * @param lostByKind lost msgIds by device kind (the msgId's prefix up to the first dash), which
 *     tells a gateway bug from messages it legitimately does not forward (e.g. PDA status)
 */
public record VerifierReport(
        long received,
        long distinctIds,
        long duplicates,
        long missing,
        long outOfOrder,
        long invalid,
        List<String> invalidReasons,
        Long lowestSequence,
        Long highestSequence,
        Map<String, Long> byType,
        long expectedMsgIds,
        long lost,
        List<String> lostSample,
        Map<String, Long> lostByKind) {

    /** True when nothing contradicts the contract: no invalid, missing, out-of-order or lost. */
    @com.fasterxml.jackson.annotation.JsonProperty("passed")
    public boolean passed() {
        return invalid == 0 && missing == 0 && outOfOrder == 0 && lost == 0;
    }

    /** A multi-line human summary. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                "received=%d distinct=%d duplicates=%d missing=%d outOfOrder=%d invalid=%d sequence=%s..%s%n",
                received, distinctIds, duplicates, missing, outOfOrder, invalid, lowestSequence, highestSequence));
        sb.append("by type: ").append(byType).append(System.lineSeparator());
        for (String r : invalidReasons) {
            sb.append("  invalid: ").append(r).append(System.lineSeparator());
        }
        if (expectedMsgIds > 0) {
            sb.append(String.format("acked msgIds=%d lost=%d %s%n", expectedMsgIds, lost, lost > 0 ? lostByKind : ""));
            for (String m : lostSample) {
                sb.append("  lost: ").append(m).append(System.lineSeparator());
            }
        }
        sb.append(passed() ? "RESULT: PASS" : "RESULT: FAIL");
        return sb.toString();
    }
}
