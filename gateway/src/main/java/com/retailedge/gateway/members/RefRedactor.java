package com.retailedge.gateway.members;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.gateway.store.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps raw member references out of dead letters. Anywhere, any field whose name says ref ({@code memberRef},
 * {@code ref}, {@code refs}, {@code cardRef}...) is replaced at any depth. A rejected recognition or {@code members}
 * command, which a reference may sit in under any name, keeps only the strings of the fields known to hold none
 * ({@link #KNOWN_SAFE}); every other string, at any depth, is replaced. One that is not even JSON on those
 * addresses is kept without its payload, since any of its bytes could be a reference.
 */
final class RefRedactor implements DeadLetters.PayloadFilter {
    static final String REDACTED = "[redacted]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern WORDS =
            java.util.regex.Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[_\\-. ]+");
    private static final java.util.Set<String> REF_WORDS = java.util.Set.of("ref", "refs", "reference", "references");
    /** Fields of a recognition or members command whose strings are never references; the rest are redacted. */
    private static final java.util.Set<String> KNOWN_SAFE =
            java.util.Set.of("commandId", "msgId", "memberId", "tier", "method", "greeting", "notes");

    private static final byte[] DROPPED =
            "[payload not kept: it may hold a member reference]".getBytes(StandardCharsets.UTF_8);

    @Override
    public byte[] keep(String address, byte[] payload) {
        // Any camera topic, near misses of .../recognition included: a camera sends nothing but references.
        boolean mayHoldRefs = address != null
                && (address.endsWith("/recognition")
                        || address.contains("/camera/")
                        || address.endsWith("/commands/members"));
        if (payload.length > DeadLetters.KEPT_BYTES) {
            // Too large to have been read as a message; not worth parsing on the writer thread.
            return mayHoldRefs ? DROPPED : payload;
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            return mayHoldRefs ? DROPPED : payload;
        }
        if (root == null || !root.isContainerNode()) {
            return mayHoldRefs ? DROPPED : payload;
        }
        if (!redact(root, mayHoldRefs) && !mayHoldRefs) {
            return payload;
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            return DROPPED;
        }
    }

    /**
     * Replaces every ref-named field's value and, when {@code strict}, every string not under a {@link #KNOWN_SAFE}
     * field, at any depth. Returns whether anything changed.
     */
    private static boolean redact(JsonNode node, boolean strict) {
        boolean changed = false;
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (String name : iterable(object.fieldNames())) {
                JsonNode value = object.get(name);
                if (isRefName(name) && !value.isArray() && !value.isObject()) {
                    object.put(name, REDACTED);
                    changed = true;
                } else if (value.isContainerNode()) {
                    changed |= redact(value, strict || isRefName(name));
                } else if (strict && value.isTextual() && !KNOWN_SAFE.contains(name)) {
                    object.put(name, REDACTED);
                    changed = true;
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isContainerNode()) {
                    changed |= redact(value, strict);
                } else if (strict && value.isTextual()) {
                    array.set(i, REDACTED);
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** {@code ref}, {@code refs}, {@code memberRef}, {@code card_ref}, {@code reference}...: a name that says ref. */
    private static boolean isRefName(String name) {
        // By words, so that "prefix" or "refill" do not count: camelCase humps and _ - . separators.
        for (String word : WORDS.split(name)) {
            if (REF_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static Iterable<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> copy = new java.util.ArrayList<>();
        names.forEachRemaining(copy::add);
        return copy;
    }
}
