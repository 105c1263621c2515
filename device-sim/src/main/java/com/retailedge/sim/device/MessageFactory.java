package com.retailedge.sim.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Builds the wire payloads: stamps each draft with a unique {@code msgId}
 * ({@code deviceId-counter-runId}) and {@code sentAt}, and breaks it on purpose when asked.
 */
public final class MessageFactory {
    /** Just over the contract's 64 KiB limit, so the gateway must reject it. */
    static final int OVERSIZE_BYTES = 64 * 1024 + 512;

    private final ObjectMapper json = new ObjectMapper();
    private final String runId;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    /** @param runId random per run, so reruns never reuse a msgId */
    public MessageFactory(String runId) {
        this.runId = runId;
    }

    /** A fresh run id: 8 hex digits from a secure source, independent of the traffic seed. */
    public static String newRunId() {
        return String.format("%08x", new java.security.SecureRandom().nextInt());
    }

    /** This run's id. */
    public String runId() {
        return runId;
    }

    /** The next unique msgId for a device. */
    public String nextMsgId(String deviceId) {
        long n = counters.computeIfAbsent(deviceId, k -> new AtomicLong()).incrementAndGet();
        return deviceId + "-" + n + "-" + runId;
    }

    /** A valid message from the device. */
    public SimMessage valid(DeviceSimulator device, Draft draft, long sentAtMillis) {
        String msgId = nextMsgId(device.deviceId());
        Map<String, Object> body = stamp(msgId, draft.fields(), sentAtMillis);
        return new SimMessage(device.deviceId(), device.kind(), draft.channel(), msgId, toJson(body), null);
    }

    /** A bad message of the given kind; {@code bad} must {@linkplain BadKind#appliesTo apply} to the draft. */
    public SimMessage bad(DeviceSimulator device, Draft draft, BadKind bad, long sentAtMillis) {
        String deviceId = device.deviceId();
        if (bad == BadKind.UNKNOWN_DEVICE) {
            // Shaped like a real id, but no gateway config registers "ghost" devices.
            deviceId = "ghost-" + device.kind().segment() + "-" + (1 + (sentAtMillis % 97));
        }
        String msgId = nextMsgId(deviceId);
        Map<String, Object> body = stamp(msgId, draft.fields(), sentAtMillis);
        byte[] payload = switch (bad) {
            case NOT_JSON -> ("scan " + msgId + " {not json").getBytes(StandardCharsets.UTF_8);
            case MISSING_FIELD -> {
                body.remove(firstDomainField(draft));
                yield toJson(body);
            }
            case WRONG_TYPE -> {
                // A string where the contract wants a number or an enum, or a number where it wants a string.
                String field = firstDomainField(draft);
                Object old = body.get(field);
                body.put(field, old instanceof Number ? "seven" : 7);
                yield toJson(body);
            }
            case BAD_CHECK_DIGIT -> {
                body.put("barcode", Ean13.withWrongCheckDigit((String) body.get("barcode")));
                yield toJson(body);
            }
            case UNKNOWN_DEVICE -> toJson(body);
            case OVERSIZE -> {
                body.put("padding", "x".repeat(OVERSIZE_BYTES));
                yield toJson(body);
            }
        };
        return new SimMessage(deviceId, device.kind(), draft.channel(), msgId, payload, bad);
    }

    /** Picks a kind of damage that applies to the draft. */
    public static BadKind pickBadKind(Draft draft, RandomGenerator rnd) {
        List<BadKind> options = new ArrayList<>();
        for (BadKind k : BadKind.values()) {
            if (k.appliesTo(draft.channel())) {
                options.add(k);
            }
        }
        return options.get(rnd.nextInt(options.size()));
    }

    private static String firstDomainField(Draft draft) {
        return draft.fields().keySet().iterator().next();
    }

    private static Map<String, Object> stamp(String msgId, Map<String, Object> fields, long sentAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("msgId", msgId);
        body.putAll(fields);
        // Not in the contract, which allows extra fields; lets anyone downstream measure latency.
        body.put("sentAt", sentAt);
        return body;
    }

    private byte[] toJson(Map<String, Object> body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a plain map", e);
        }
    }
}
