package com.retailedge.sim.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The contract's field checks for one CloudEvents 1.0 structured-mode event. */
final class EventChecks {
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final String expectedSource;

    EventChecks(String storeId) {
        this.expectedSource = "/stores/" + storeId;
    }

    /** Every way the event breaks the contract; empty when it is fine. */
    List<String> problems(JsonNode e) {
        List<String> p = new ArrayList<>();
        if (!e.isObject()) {
            p.add("not a JSON object");
            return p;
        }
        if (!"1.0".equals(text(e, "specversion"))) {
            p.add("specversion must be \"1.0\", got " + e.get("specversion"));
        }
        String id = text(e, "id");
        if (id == null || !UUID.matcher(id).matches()) {
            p.add("id must be a UUID string, got " + e.get("id"));
        }
        if (!expectedSource.equals(text(e, "source"))) {
            p.add("source must be \"" + expectedSource + "\", got " + e.get("source"));
        }
        if (isBlank(text(e, "type"))) {
            p.add("type must be a non-empty string, got " + e.get("type"));
        }
        String time = text(e, "time");
        if (time == null) {
            p.add("time must be an ISO-8601 string, got " + e.get("time"));
        } else {
            try {
                OffsetDateTime.parse(time);
            } catch (DateTimeParseException ex) {
                p.add("time is not ISO-8601 with offset: \"" + time + "\"");
            }
        }
        if (isBlank(text(e, "subject"))) {
            p.add("subject must be a non-empty string, got " + e.get("subject"));
        }
        JsonNode data = e.get("data");
        if (data == null || !data.isObject()) {
            p.add("data must be a JSON object, got " + (data == null ? "nothing" : data.getNodeType()));
        }
        JsonNode seq = e.get("sequence");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong()) {
            p.add("sequence must be an integer, got " + seq);
        }
        return p;
    }

    private static String text(JsonNode e, String field) {
        JsonNode n = e.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
