package com.retailedge.gateway.ingest;

import com.retailedge.gateway.domain.Channel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of device payloads: valid ones for each channel, and mutations of them that devices and
 * networks produce: wrong types, huge and odd numbers, deep nesting, invalid UTF-8, NUL bytes, long strings,
 * duplicate keys, sizes around the 64 KiB limit, truncation, flipped bytes, other encodings, garbage.
 */
final class FuzzPayloads {
    /** One generated case: where it goes and what it carries. */
    record Case(Channel channel, String deviceId, byte[] payload, String mutation) {}

    private static final String[] VALUES = {
        "0",
        "-1",
        "1.5",
        "1e400",
        "-1e400",
        "99999999999999999999999999",
        "9223372036854775808",
        "-9223372036854775809",
        "0.0000000001",
        "NaN",
        "Infinity",
        "true",
        "false",
        "null",
        "\"\"",
        "\"x\"",
        "[]",
        "{}",
        "[1,2,3]",
        "{\"a\":{\"b\":1}}",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"1\"",
        "1e-400"
    };

    private final Random random;
    private int counter;

    FuzzPayloads(long seed) {
        this.random = new Random(seed);
    }

    Case next() {
        Channel channel = Channel.values()[random.nextInt(Channel.values().length)];
        String deviceId = deviceFor(channel);
        String valid = valid(channel, "f-" + (counter++));
        int kind = random.nextInt(20);
        return switch (kind) {
            case 0 -> new Case(channel, deviceId, utf8(valid), "valid");
            case 1 -> new Case(channel, deviceId, utf8(replaceValue(valid)), "wrong type or odd number");
            case 2 -> new Case(channel, deviceId, utf8(replaceValue(replaceValue(valid))), "two odd values");
            case 3 -> new Case(channel, deviceId, utf8(nested(random.nextInt(3000))), "deep nesting");
            case 4 -> new Case(channel, deviceId, invalidUtf8(utf8(valid)), "invalid UTF-8");
            case 5 -> new Case(channel, deviceId, nulByte(utf8(valid)), "NUL byte");
            case 6 -> new Case(channel, deviceId, utf8(valid.replace("\"f-", "\"\\u0000f-")), "escaped NUL in text");
            case 7 -> new Case(channel, deviceId, utf8(longString(valid)), "long string");
            case 8 -> new Case(channel, deviceId, utf8(duplicateKey(valid)), "duplicate key");
            case 9 -> new Case(channel, deviceId, paddedTo(valid, 64 * 1024 + random.nextInt(9) - 4), "around 64 KiB");
            case 10 -> new Case(channel, deviceId, truncate(utf8(valid)), "truncated");
            case 11 -> new Case(channel, deviceId, flip(utf8(valid)), "flipped bytes");
            case 12 -> new Case(channel, deviceId, garbage(), "garbage");
            case 13 -> new Case(channel, deviceId, new byte[0], "empty");
            case 14 -> new Case(channel, deviceId, valid.getBytes(StandardCharsets.UTF_16), "UTF-16");
            case 15 ->
                new Case(
                        channel,
                        deviceId,
                        prefixed(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(valid)),
                        "byte-order mark");
            case 16 ->
                new Case(
                        channel,
                        deviceId,
                        utf8(pick(List.of(
                                "[]",
                                "\"text\"",
                                "42",
                                "null",
                                "true",
                                " ",
                                "{}",
                                valid + valid,
                                valid + " junk",
                                "{\"msgId\":"))),
                        "not an object");
            case 17 -> new Case(channel, deviceId, utf8(dropField(valid)), "missing field");
            case 18 -> new Case(channel, "unknown-" + random.nextInt(5), utf8(valid), "unknown device");
            default ->
                new Case(
                        channel,
                        deviceId,
                        utf8(valid.replace("}", ",\"extra\":" + pick(List.of(VALUES)) + "}")),
                        "extra field");
        };
    }

    static String valid(Channel channel, String msgId) {
        return switch (channel) {
            case SCAN -> "{\"msgId\":\"" + msgId + "\",\"orderId\":\"o-1\",\"barcode\":\"4006381333931\",\"qty\":2}";
            case PDA_STATUS -> "{\"msgId\":\"" + msgId + "\",\"state\":\"busy\"}";
            case PDA_ACK -> "{\"msgId\":\"" + msgId + "\",\"noticeId\":\"n-1\"}";
            case SHORT ->
                "{\"msgId\":\"" + msgId + "\",\"orderId\":\"o-1\",\"sku\":\"sku-1\",\"reason\":\"out-of-stock\"}";
            case SUBSTITUTE ->
                "{\"msgId\":\"" + msgId + "\",\"orderId\":\"o-1\",\"sku\":\"sku-1\","
                        + "\"barcode\":\"4006381333931\",\"qty\":1}";
            case PRESS -> "{\"msgId\":\"" + msgId + "\",\"press\":\"single\"}";
            case RECOGNITION ->
                "{\"msgId\":\"" + msgId + "\",\"method\":\"qr\",\"memberRef\":\"M-1\",\"confidence\":0.9}";
            case LABEL_STATUS -> "{\"msgId\":\"" + msgId + "\",\"version\":3,\"battery\":80}";
            case SALE -> "{\"msgId\":\"" + msgId + "\",\"lines\":[{\"barcode\":\"4006381333931\",\"qty\":2}]}";
        };
    }

    private String deviceFor(Channel channel) {
        return switch (channel) {
            case SCAN, PDA_STATUS, PDA_ACK, SHORT, SUBSTITUTE -> "pda-" + (1 + random.nextInt(10));
            case PRESS -> "button-" + (1 + random.nextInt(10));
            case RECOGNITION -> "camera-" + (1 + random.nextInt(3));
            case LABEL_STATUS -> "esl-" + (1 + random.nextInt(50));
            case SALE -> "lane-" + (1 + random.nextInt(4));
        };
    }

    private String replaceValue(String json) {
        // Replace one value after a ':' (the text up to the next ',' or '}') with an odd one.
        int colon = nthColon(json);
        int end = json.indexOf(',', colon);
        if (end < 0) {
            end = json.lastIndexOf('}');
        }
        return json.substring(0, colon + 1) + pick(List.of(VALUES)) + json.substring(end);
    }

    private int nthColon(String json) {
        int count = (int) json.chars().filter(c -> c == ':').count();
        int target = random.nextInt(count);
        int at = -1;
        for (int i = 0; i <= target; i++) {
            at = json.indexOf(':', at + 1);
        }
        return at;
    }

    private String nested(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return "{\"msgId\":\"deep\",\"x\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
    }

    private byte[] invalidUtf8(byte[] bytes) {
        byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF8};
        byte[] out = bytes.clone();
        int at = random.nextInt(out.length);
        out[at] = bad[random.nextInt(bad.length)];
        return out;
    }

    private byte[] nulByte(byte[] bytes) {
        byte[] out = bytes.clone();
        out[random.nextInt(out.length)] = 0;
        return out;
    }

    private String longString(String valid) {
        int length = pick(List.of(255, 256, 257, 1000, 10_000, 70_000));
        return valid.replaceFirst("\"f-[0-9]+\"", "\"" + "m".repeat(length) + "\"");
    }

    private String duplicateKey(String valid) {
        int comma = valid.indexOf(',');
        String first = valid.substring(1, comma);
        return "{" + first + "," + valid.substring(1);
    }

    private byte[] paddedTo(String valid, int size) {
        String head = valid.substring(0, valid.length() - 1) + ",\"pad\":\"";
        int pad = Math.max(0, size - head.length() - 2);
        return utf8(head + "p".repeat(pad) + "\"}");
    }

    private byte[] truncate(byte[] bytes) {
        return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }

    private byte[] flip(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private byte[] garbage() {
        byte[] out = new byte[random.nextInt(300)];
        random.nextBytes(out);
        return out;
    }

    private String dropField(String valid) {
        int comma = valid.lastIndexOf(',');
        return valid.substring(0, comma) + "}";
    }

    private static byte[] prefixed(byte[] prefix, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
