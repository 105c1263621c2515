package com.retailedge.gateway.outbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Renders one CloudEvent in JSON structured mode. Runs once per event on the writer thread, where it was the largest
 * share of a press's Java time: the envelope is concatenated (only the subject and the data can hold characters that
 * need escaping), the data's plain values are written straight to a Jackson generator instead of through
 * {@link ObjectMapper#writeValueAsString}, whose serializer lookup per map value cost more than the writing, and the
 * time's seconds are formatted once per second. Anything but plain values, maps and collections still goes through
 * the mapper, so what it writes is what Jackson writes.
 *
 * <p>Not thread-safe: one instance per writer thread, as {@link Outbox#append} is.
 */
final class CloudEventJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

    private final String quotedSource;
    /** Reused for every event: the writer thread renders one at a time. */
    private final StringWriter out = new StringWriter(512);

    private long cachedSecond = Long.MIN_VALUE;
    /** {@code Instant.toString()} of {@link #cachedSecond} without its {@code Z}. */
    private String cachedSecondText;

    CloudEventJson(String source) {
        this.quotedSource = new String(ESCAPER.quoteAsString(source));
    }

    String render(String id, String type, String subject, long timeMs, long sequence, Map<String, ?> data)
            throws IOException {
        out.getBuffer().setLength(0);
        try (JsonGenerator gen = JSON.getFactory().createGenerator(out)) {
            StringBuilder head = new StringBuilder(256)
                    .append("{\"specversion\":\"1.0\",\"id\":\"")
                    .append(id)
                    .append("\",\"source\":\"")
                    .append(quotedSource)
                    .append("\",\"type\":\"")
                    .append(ESCAPER.quoteAsString(type))
                    .append("\",\"time\":\"");
            appendTime(head, timeMs);
            head.append("\",\"subject\":\"")
                    .append(ESCAPER.quoteAsString(subject))
                    .append("\",\"datacontenttype\":\"application/json\",\"sequence\":")
                    .append(sequence)
                    .append(",\"data\":");
            gen.writeRaw(head.toString());
            writeValue(gen, data);
            gen.writeRaw('}');
        }
        return out.toString();
    }

    /** Exactly {@code Instant.ofEpochMilli(timeMs).toString()}: no fraction on a whole second, else three digits. */
    void appendTime(StringBuilder sb, long timeMs) {
        long second = Math.floorDiv(timeMs, 1000);
        int millis = (int) Math.floorMod(timeMs, 1000);
        if (second != cachedSecond) {
            String whole = Instant.ofEpochSecond(second).toString();
            cachedSecondText = whole.substring(0, whole.length() - 1);
            cachedSecond = second;
        }
        sb.append(cachedSecondText);
        if (millis != 0) {
            sb.append('.')
                    .append((char) ('0' + millis / 100))
                    .append((char) ('0' + millis / 10 % 10))
                    .append((char) ('0' + millis % 10));
        }
        sb.append('Z');
    }

    private static void writeValue(JsonGenerator gen, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String s) {
            gen.writeString(s);
        } else if (value instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte) {
            gen.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double d) {
            gen.writeNumber(d);
        } else if (value instanceof Float f) {
            gen.writeNumber(f);
        } else if (value instanceof BigDecimal d) {
            gen.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            gen.writeNumber(i);
        } else if (value instanceof Map<?, ?> map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey() == null) {
                    throw new IOException("event data holds a map with a null key");
                }
                gen.writeFieldName(e.getKey().toString());
                writeValue(gen, e.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            gen.writeStartArray();
            for (Object item : list) {
                writeValue(gen, item);
            }
            gen.writeEndArray();
        } else {
            // JsonNode, records and the like: the mapper knows them.
            JSON.writeValue(gen, value);
        }
    }
}
