package com.retailedge.gateway.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns a device payload into a typed {@link DeviceMessage}, or a {@link Rejection} saying what is wrong. */
public final class PayloadDecoder {
    /** Largest payload accepted from a device (CONTRACT §3). */
    public static final int MAX_PAYLOAD = 64 * 1024;

    private static final int MAX_TEXT = 256;
    private static final int MAX_SALE_LINES = 500;
    private static final Set<String> SHORT_REASONS = Set.of("out-of-stock", "damaged", "not-found", "expired", "other");
    // Text after the object ("{..} junk", "{..}{..}") makes the payload not JSON, not a shorter message.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PayloadDecoder() {}

    public static DeviceMessage decode(Channel channel, String deviceId, byte[] payload) throws Rejection {
        if (payload.length > MAX_PAYLOAD) {
            throw new Rejection(
                    RejectReason.TOO_LARGE, "payload is " + payload.length + " bytes; at most " + MAX_PAYLOAD);
        }
        // A recognition's text may hold a raw member reference: the parser's message would quote it.
        JsonNode root = parse(payload, channel != Channel.RECOGNITION);
        String msgId = text(root, "msgId");
        return switch (channel) {
            case SCAN ->
                new DeviceMessage.Scan(deviceId, msgId, text(root, "orderId"), text(root, "barcode"), (int)
                        integer(root, "qty", 1, 1_000_000));
            case SHORT ->
                new DeviceMessage.Short(
                        deviceId,
                        msgId,
                        text(root, "orderId"),
                        text(root, "sku"),
                        oneOf(root, "reason", SHORT_REASONS));
            case SUBSTITUTE ->
                new DeviceMessage.Substitute(
                        deviceId, msgId, text(root, "orderId"), text(root, "sku"), text(root, "barcode"), (int)
                                integer(root, "qty", 1, 1_000_000));
            case PDA_STATUS ->
                new DeviceMessage.PdaStatus(deviceId, msgId, oneOf(root, "state", Set.of("idle", "busy", "off")));
            case PDA_ACK -> new DeviceMessage.PdaAck(deviceId, msgId, text(root, "noticeId"));
            case PRESS ->
                new DeviceMessage.Press(
                        deviceId,
                        msgId,
                        oneOf(root, "press", Set.of("single", "double", "long")),
                        optionalTime(root, "at"),
                        optionalInteger(root, "battery", 0, 100));
            case RECOGNITION ->
                new DeviceMessage.Recognition(
                        deviceId,
                        msgId,
                        oneOf(root, "method", Set.of("face", "qr", "card")),
                        text(root, "memberRef"),
                        number(root, "confidence", 0, 1));
            case LABEL_STATUS ->
                new DeviceMessage.LabelStatus(deviceId, msgId, integer(root, "version", 0, Long.MAX_VALUE), (int)
                        integer(root, "battery", 0, 100));
            case SALE -> new DeviceMessage.Sale(deviceId, msgId, saleLines(root), optionalTime(root, "at"));
        };
    }

    /** A sale's {@code lines}: 1..MAX_SALE_LINES objects, each a {@code barcode} or a {@code sku} with {@code qty}. */
    private static List<DeviceMessage.SaleLine> saleLines(JsonNode root) throws Rejection {
        JsonNode list = field(root, "lines");
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_SALE_LINES) {
            throw new Rejection(
                    RejectReason.BAD_FIELD, "field 'lines' must be a list of 1.." + MAX_SALE_LINES + " lines");
        }
        List<DeviceMessage.SaleLine> lines = new ArrayList<>(list.size());
        for (JsonNode line : list) {
            String where = "lines[" + lines.size() + "]";
            if (!line.isObject()) {
                throw new Rejection(RejectReason.BAD_FIELD, where + " must be an object");
            }
            boolean hasBarcode = line.hasNonNull("barcode");
            if (hasBarcode == line.hasNonNull("sku")) {
                throw new Rejection(RejectReason.BAD_FIELD, where + " must have either 'barcode' or 'sku'");
            }
            try {
                String id = text(line, hasBarcode ? "barcode" : "sku");
                int qty = (int) integer(line, "qty", 1, 1_000_000);
                lines.add(new DeviceMessage.SaleLine(hasBarcode ? id : null, hasBarcode ? null : id, qty));
            } catch (Rejection r) {
                throw new Rejection(r.reason(), where + ": " + r.detail());
            }
        }
        return lines;
    }

    private static JsonNode parse(byte[] payload, boolean quoteParserMessage) throws Rejection {
        // Decoded strictly as UTF-8 first: Jackson would otherwise sniff UTF-16 and UTF-32 and accept them.
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Rejection(RejectReason.NOT_JSON, "payload is not UTF-8 text");
        }
        if (text.isBlank()) {
            throw new Rejection(RejectReason.NOT_JSON, "payload is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Rejection(
                    RejectReason.NOT_JSON,
                    quoteParserMessage ? "payload is not JSON: " + e.getOriginalMessage() : "payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Rejection(RejectReason.NOT_OBJECT, "payload must be a JSON object");
        }
        return root;
    }

    private static JsonNode field(JsonNode root, String name) throws Rejection {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            throw new Rejection(RejectReason.MISSING_FIELD, "field '" + name + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode root, String name) throws Rejection {
        JsonNode value = field(root, name);
        if (!value.isTextual()) {
            throw new Rejection(RejectReason.BAD_FIELD, "field '" + name + "' must be a string");
        }
        String text = value.textValue();
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw new Rejection(RejectReason.BAD_FIELD, "field '" + name + "' must be 1.." + MAX_TEXT + " characters");
        }
        return text;
    }

    private static String oneOf(JsonNode root, String name, Set<String> allowed) throws Rejection {
        String text = text(root, name);
        if (!allowed.contains(text)) {
            throw new Rejection(
                    RejectReason.BAD_FIELD,
                    "field '" + name + "' must be one of "
                            + allowed.stream().sorted().toList());
        }
        return text;
    }

    private static Instant optionalTime(JsonNode root, String name) throws Rejection {
        if (!root.hasNonNull(name)) {
            return null;
        }
        String text = text(root, name);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Rejection(
                    RejectReason.BAD_FIELD,
                    "field '" + name + "' must be an ISO-8601 UTC time like 2026-01-31T08:00:00Z");
        }
    }

    private static Integer optionalInteger(JsonNode root, String name, int min, int max) throws Rejection {
        return root.hasNonNull(name) ? (int) integer(root, name, min, max) : null;
    }

    private static long integer(JsonNode root, String name, long min, long max) throws Rejection {
        JsonNode value = field(root, name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new Rejection(RejectReason.BAD_FIELD, "field '" + name + "' must be a whole number");
        }
        long n = value.longValue();
        if (n < min || n > max) {
            throw new Rejection(RejectReason.BAD_FIELD, "field '" + name + "' must be " + min + ".." + max);
        }
        return n;
    }

    private static double number(JsonNode root, String name, double min, double max) throws Rejection {
        JsonNode value = field(root, name);
        if (!value.isNumber()) {
            throw new Rejection(RejectReason.BAD_FIELD, "field '" + name + "' must be a number");
        }
        double n = value.doubleValue();
        if (!(n >= min && n <= max)) {
            throw new Rejection(RejectReason.BAD_FIELD, "field '" + name + "' must be " + min + ".." + max);
        }
        return n;
    }
}
