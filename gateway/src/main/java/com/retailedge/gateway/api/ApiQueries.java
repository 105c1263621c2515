package com.retailedge.gateway.api;

import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.outbox.StoredEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SQL behind the REST API; read-only, on pooled read connections. */
final class ApiQueries {
    private ApiQueries() {}

    /** {@code {"events":[...],"next":n}} built as text: the stored bodies are already the events' JSON. */
    static String eventsAfter(Connection c, long after, int limit) throws SQLException {
        List<StoredEvent> events = Outbox.readAfter(c, after, limit);
        StringBuilder json = new StringBuilder(256 + events.size() * 300).append("{\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(events.get(i).body());
        }
        long next = events.isEmpty() ? after : events.get(events.size() - 1).sequence();
        return json.append("],\"next\":").append(next).append('}').toString();
    }

    static List<Map<String, Object>> deadLetters(Connection c, long after, int limit) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, at_ms, source, address, device_id, reason, detail, "
                + "size, payload FROM dead_letter WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, after);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong(1));
                    row.put("at", Instant.ofEpochMilli(rs.getLong(2)).toString());
                    row.put("source", rs.getString(3));
                    row.put("address", rs.getString(4));
                    row.put("deviceId", rs.getString(5));
                    row.put("reason", rs.getString(6));
                    row.put("detail", rs.getString(7));
                    row.put("size", rs.getInt(8));
                    putPayload(row, rs.getBytes(9));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Payload as text when it is UTF-8, else base64, so binary garbage is shown without breaking JSON. */
    private static void putPayload(Map<String, Object> row, byte[] payload) {
        if (payload == null) {
            return;
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
            row.put("payload", text);
        } catch (CharacterCodingException e) {
            row.put("payloadBase64", Base64.getEncoder().encodeToString(payload));
        }
    }

    static Map<String, Long> eventCountsByType(Connection c, long fromMs, long toMs) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT type, COUNT(*) FROM outbox "
                + "WHERE time_ms >= ? AND time_ms < ? GROUP BY type ORDER BY type")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }
}
