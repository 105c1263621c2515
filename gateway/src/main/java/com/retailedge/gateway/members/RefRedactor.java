package com.retailedge.gateway.members;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.gateway.store.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps raw member references out of dead letters: a rejected recognition or {@code members} command is kept
 * with {@code memberRef} and every {@code refs[].ref} replaced; one that is not even JSON on those addresses is
 * kept without its payload, since any of its bytes could be a reference.
 */
final class RefRedactor implements DeadLetters.PayloadFilter {
    static final String REDACTED = "[redacted]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DROPPED = "[payload not kept: it may hold a member reference]".getBytes(StandardCharsets.UTF_8);

    @Override
    public byte[] keep(String address, byte[] payload) {
        boolean mayHoldRefs = address != null && (address.endsWith("/recognition") || address.endsWith("/commands/members"));
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
        if (!redact(root) && !mayHoldRefs) {
            return payload;
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            return DROPPED;
        }
    }

    /** Replaces every {@code memberRef} and every {@code ref} inside a {@code refs} list, at any depth. */
    private static boolean redact(JsonNode node) {
        boolean changed = false;
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if (object.has("memberRef")) {
                object.put("memberRef", REDACTED);
                changed = true;
            }
            JsonNode refs = object.get("refs");
            if (refs != null && refs.isArray()) {
                for (JsonNode ref : refs) {
                    if (ref.isObject() && ref.has("ref")) {
                        ((ObjectNode) ref).put("ref", REDACTED);
                        changed = true;
                    }
                }
            }
        }
        for (JsonNode child : node) {
            changed |= redact(child);
        }
        return changed;
    }
}
