package com.retailedge.gateway.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;

/** Field readers for command payloads that say exactly which field of which entry is wrong. */
final class CommandFields {
    private CommandFields() {}

    static JsonNode array(JsonNode node, String name) throws Rejection {
        JsonNode value = node.get(name);
        if (value == null || !value.isArray()) {
            throw bad("'" + name + "' must be a list");
        }
        return value;
    }

    static String text(JsonNode node, String name, String where) throws Rejection {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw bad(where + ": '" + name + "' must be a non-empty string");
        }
        return value.textValue();
    }

    static String optionalText(JsonNode node, String name, String where) throws Rejection {
        return node.hasNonNull(name) ? text(node, name, where) : null;
    }

    static long positive(JsonNode node, String name, String where) throws Rejection {
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber() || value.longValue() < 1) {
            throw bad(where + ": '" + name + "' must be a whole number >= 1");
        }
        return value.longValue();
    }

    static Rejection bad(String detail) {
        return new Rejection(RejectReason.BAD_COMMAND, detail);
    }
}
