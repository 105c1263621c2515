package com.retailedge.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CloudEventJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesTheDataAsJacksonsMapperDoes() throws IOException {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("qty", 3);
        nested.put("price", new BigDecimal("1.990"));
        nested.put("tags", List.of("a\"b", "caf\u00e9 \u2603", "line\nbreak\u0001"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msgId", "m-1");
        data.put("count", 12_345_678_901L);
        data.put("ratio", 0.25);
        data.put("tiny", 1.0e-12);
        data.put("odd", Double.NaN);
        data.put("flag", true);
        data.put("none", null);
        data.put("short", (short) 7);
        data.put("float", 2.5f);
        data.put("nested", nested);
        data.put("node", JSON.readTree("{\"x\":[1,2,{\"y\":null}]}"));
        data.put("empty", new ArrayList<>());
        data.put("record", new Sample("s", 4));

        String event = new CloudEventJson("/stores/s-1").render("id-1", "t", "sub\\ject", 1_000L, 9, data);

        JsonNode parsed = JSON.readTree(event);
        assertEquals(JSON.readTree(JSON.writeValueAsString(data)), parsed.get("data"));
        String dataText = event.substring(event.indexOf(",\"data\":") + 8, event.length() - 1);
        assertEquals(JSON.writeValueAsString(data), dataText);
        assertEquals("sub\\ject", parsed.get("subject").asText());
        assertEquals("/stores/s-1", parsed.get("source").asText());
        assertEquals(9, parsed.get("sequence").asLong());
        assertEquals("1970-01-01T00:00:01Z", parsed.get("time").asText());
    }

    @Test
    void theEnvelopeIsTheContractsFieldsInOrder() throws IOException {
        String event =
                new CloudEventJson("/stores/s\"1").render("i", "com.x", "d", 1_765_000_000_123L, 1, Map.of("k", "v"));

        assertEquals(
                "{\"specversion\":\"1.0\",\"id\":\"i\",\"source\":\"/stores/s\\\"1\",\"type\":\"com.x\","
                        + "\"time\":\"2025-12-06T05:46:40.123Z\",\"subject\":\"d\",\"datacontenttype\":\"application/json\","
                        + "\"sequence\":1,\"data\":{\"k\":\"v\"}}",
                event);
    }

    @Test
    void theTimeIsWhatInstantPrintsAcrossSecondsAndMillis() {
        CloudEventJson json = new CloudEventJson("/stores/s");
        long start = 1_765_000_000_000L - 3;
        for (long t = start; t < start + 2_500; t += 1) {
            StringBuilder sb = new StringBuilder();
            json.appendTime(sb, t);
            assertEquals(Instant.ofEpochMilli(t).toString(), sb.toString(), "at " + t);
        }
        for (long t : new long[] {0, -1, -1000, 253_402_300_799_999L, 253_402_300_800_000L}) {
            StringBuilder sb = new StringBuilder();
            json.appendTime(sb, t);
            assertEquals(Instant.ofEpochMilli(t).toString(), sb.toString(), "at " + t);
        }
    }

    @Test
    void aNullMapKeyIsRefused() {
        Map<String, Object> data = new HashMap<>();
        data.put(null, 1);

        assertThrows(IOException.class, () -> new CloudEventJson("/stores/s").render("i", "t", "s", 0, 1, data));
    }

    @Test
    void oneInstanceRendersEventAfterEvent() throws IOException {
        CloudEventJson json = new CloudEventJson("/stores/s");
        String first = json.render("a", "t", "s", 0, 1, Map.of("long", "x".repeat(5_000)));
        String second = json.render("b", "t", "s", 0, 2, Map.of("k", 1));

        assertEquals(
                5_000, JSON.readTree(first).get("data").get("long").asText().length());
        assertEquals(1, JSON.readTree(second).get("data").get("k").asInt());
        assertEquals("b", JSON.readTree(second).get("id").asText());
    }

    record Sample(String name, int n) {}
}
