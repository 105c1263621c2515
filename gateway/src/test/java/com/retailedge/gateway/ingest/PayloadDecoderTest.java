package com.retailedge.gateway.ingest;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every device payload the contract defines, decoded byte by byte, and a table of bad ones with their reasons. */
class PayloadDecoderTest {
    private static final String DEVICE = "dev-1";

    static Stream<Arguments> validPayloads() {
        return Stream.of(
                arguments(
                        Channel.SCAN,
                        "{\"msgId\":\"m1\",\"orderId\":\"o-1\",\"barcode\":\"4006381333931\",\"qty\":2}",
                        new DeviceMessage.Scan(DEVICE, "m1", "o-1", "4006381333931", 2)),
                arguments(
                        Channel.PRESS,
                        "{\"msgId\":\"m2\",\"press\":\"double\"}",
                        new DeviceMessage.Press(DEVICE, "m2", "double")),
                arguments(
                        Channel.RECOGNITION,
                        "{\"msgId\":\"m3\",\"method\":\"qr\",\"memberRef\":\"QR-77\",\"confidence\":0.93}",
                        new DeviceMessage.Recognition(DEVICE, "m3", "qr", "QR-77", 0.93)),
                arguments(
                        Channel.LABEL_STATUS,
                        "{\"msgId\":\"m4\",\"version\":12,\"battery\":87}",
                        new DeviceMessage.LabelStatus(DEVICE, "m4", 12, 87)),
                arguments(
                        Channel.PDA_STATUS,
                        "{\"msgId\":\"m5\",\"state\":\"idle\"}",
                        new DeviceMessage.PdaStatus(DEVICE, "m5", "idle")),
                // Bounds are inclusive, unknown extra fields are allowed, and field order does not matter.
                arguments(
                        Channel.SCAN,
                        "{\"qty\":1,\"barcode\":\"96385074\",\"orderId\":\"o\",\"msgId\":\"m\",\"extra\":[1]}",
                        new DeviceMessage.Scan(DEVICE, "m", "o", "96385074", 1)),
                arguments(
                        Channel.RECOGNITION,
                        "{\"msgId\":\"m\",\"method\":\"face\",\"memberRef\":\"f\",\"confidence\":0}",
                        new DeviceMessage.Recognition(DEVICE, "m", "face", "f", 0.0)),
                arguments(
                        Channel.RECOGNITION,
                        "{\"msgId\":\"m\",\"method\":\"card\",\"memberRef\":\"c\",\"confidence\":1}",
                        new DeviceMessage.Recognition(DEVICE, "m", "card", "c", 1.0)),
                arguments(
                        Channel.LABEL_STATUS,
                        "{\"msgId\":\"m\",\"version\":0,\"battery\":0}",
                        new DeviceMessage.LabelStatus(DEVICE, "m", 0, 0)),
                arguments(
                        Channel.LABEL_STATUS,
                        "{\"msgId\":\"m\",\"version\":9007199254740993,\"battery\":100}",
                        new DeviceMessage.LabelStatus(DEVICE, "m", 9007199254740993L, 100)),
                arguments(
                        Channel.PRESS,
                        " \n{\"msgId\":\"ünïcødé-✓\",\"press\":\"long\"}\n ",
                        new DeviceMessage.Press(DEVICE, "ünïcødé-✓", "long")),
                arguments(
                        Channel.PDA_STATUS,
                        "{\"msgId\":\"m\",\"state\":\"off\"}",
                        new DeviceMessage.PdaStatus(DEVICE, "m", "off")),
                // a press kept offline says when it happened; a button may report its battery
                arguments(
                        Channel.PRESS,
                        "{\"msgId\":\"m\",\"press\":\"single\",\"at\":\"2026-01-31T08:00:00Z\",\"battery\":0}",
                        new DeviceMessage.Press(
                                DEVICE, "m", "single", java.time.Instant.parse("2026-01-31T08:00:00Z"), 0)),
                arguments(
                        Channel.PRESS,
                        "{\"msgId\":\"m\",\"press\":\"long\",\"at\":null,\"battery\":100}",
                        new DeviceMessage.Press(DEVICE, "m", "long", null, 100)),
                arguments(
                        Channel.PDA_ACK,
                        "{\"msgId\":\"m\",\"noticeId\":\"n-1\"}",
                        new DeviceMessage.PdaAck(DEVICE, "m", "n-1")),
                arguments(
                        Channel.SHORT,
                        "{\"msgId\":\"m6\",\"orderId\":\"o-1\",\"sku\":\"MILK\",\"reason\":\"damaged\"}",
                        new DeviceMessage.Short(DEVICE, "m6", "o-1", "MILK", "damaged")),
                arguments(
                        Channel.SUBSTITUTE,
                        "{\"msgId\":\"m7\",\"orderId\":\"o-1\",\"sku\":\"TEA\",\"barcode\":\"96385074\",\"qty\":2}",
                        new DeviceMessage.Substitute(DEVICE, "m7", "o-1", "TEA", "96385074", 2)),
                // a checkout lane's sale: lines by barcode or by SKU; a lane that was offline says when
                arguments(
                        Channel.SALE,
                        "{\"msgId\":\"m8\",\"lines\":[{\"barcode\":\"4006381333931\",\"qty\":2},"
                                + "{\"sku\":\"MILK\",\"qty\":1}],\"at\":\"2026-01-31T08:00:00Z\"}",
                        new DeviceMessage.Sale(
                                DEVICE,
                                "m8",
                                java.util.List.of(
                                        new DeviceMessage.SaleLine("4006381333931", null, 2),
                                        new DeviceMessage.SaleLine(null, "MILK", 1)),
                                java.time.Instant.parse("2026-01-31T08:00:00Z"))),
                arguments(
                        Channel.SALE,
                        "{\"msgId\":\"m9\",\"lines\":[{\"sku\":\"MILK\",\"qty\":1000000,\"price\":\"1\"}]}",
                        new DeviceMessage.Sale(
                                DEVICE,
                                "m9",
                                java.util.List.of(new DeviceMessage.SaleLine(null, "MILK", 1_000_000)),
                                null)));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("validPayloads")
    void given_a_valid_payload_then_it_decodes_to_its_message(Channel channel, String json, DeviceMessage expected)
            throws Rejection {
        assertEquals(expected, PayloadDecoder.decode(channel, DEVICE, utf8(json)));
    }

    static Stream<Arguments> badPayloads() {
        return Stream.of(
                // not JSON at all
                bad(Channel.PRESS, "not json", RejectReason.NOT_JSON),
                bad(Channel.PRESS, "{\"msgId\":\"m\",\"press\":", RejectReason.NOT_JSON),
                bad(Channel.PRESS, "{'msgId':'m','press':'single'}", RejectReason.NOT_JSON),
                bad(Channel.PRESS, "{\"msgId\":\"m\",\"press\":\"single\"} trailing", RejectReason.NOT_JSON),
                bad(Channel.PRESS, "{\"msgId\":\"m\",\"press\":\"single\"}{}", RejectReason.NOT_JSON),
                bad(Channel.PRESS, "", RejectReason.NOT_JSON),
                bad(Channel.PRESS, "  \n\t ", RejectReason.NOT_JSON),
                // JSON, but not an object
                bad(Channel.PRESS, "[{\"msgId\":\"m\",\"press\":\"single\"}]", RejectReason.NOT_OBJECT),
                bad(Channel.PRESS, "\"single\"", RejectReason.NOT_OBJECT),
                bad(Channel.PRESS, "42", RejectReason.NOT_OBJECT),
                bad(Channel.PRESS, "null", RejectReason.NOT_OBJECT),
                // msgId
                bad(Channel.PRESS, "{\"press\":\"single\"}", RejectReason.MISSING_FIELD),
                bad(Channel.PRESS, "{\"msgId\":null,\"press\":\"single\"}", RejectReason.MISSING_FIELD),
                bad(Channel.PRESS, "{\"msgId\":17,\"press\":\"single\"}", RejectReason.BAD_FIELD),
                bad(Channel.PRESS, "{\"msgId\":\"\",\"press\":\"single\"}", RejectReason.BAD_FIELD),
                bad(
                        Channel.PRESS,
                        "{\"msgId\":\"" + "x".repeat(257) + "\",\"press\":\"single\"}",
                        RejectReason.BAD_FIELD),
                // scan
                bad(
                        Channel.SCAN,
                        "{\"msgId\":\"m\",\"barcode\":\"4006381333931\",\"qty\":1}",
                        RejectReason.MISSING_FIELD),
                bad(Channel.SCAN, "{\"msgId\":\"m\",\"orderId\":\"o\",\"qty\":1}", RejectReason.MISSING_FIELD),
                bad(
                        Channel.SCAN,
                        "{\"msgId\":\"m\",\"orderId\":\"o\",\"barcode\":\"4006381333931\"}",
                        RejectReason.MISSING_FIELD),
                bad(Channel.SCAN, scan("\"2\""), RejectReason.BAD_FIELD),
                bad(Channel.SCAN, scan("0"), RejectReason.BAD_FIELD),
                bad(Channel.SCAN, scan("-1"), RejectReason.BAD_FIELD),
                bad(Channel.SCAN, scan("1.5"), RejectReason.BAD_FIELD),
                bad(Channel.SCAN, scan("1.0"), RejectReason.BAD_FIELD),
                bad(Channel.SCAN, scan("1e2"), RejectReason.BAD_FIELD),
                bad(Channel.SCAN, scan("true"), RejectReason.BAD_FIELD),
                bad(Channel.SCAN, scan("99999999999999999999999"), RejectReason.BAD_FIELD),
                bad(
                        Channel.SCAN,
                        "{\"msgId\":\"m\",\"orderId\":\"o\",\"barcode\":4006381333931,\"qty\":1}",
                        RejectReason.BAD_FIELD),
                // press
                bad(Channel.PRESS, "{\"msgId\":\"m\"}", RejectReason.MISSING_FIELD),
                bad(Channel.PRESS, "{\"msgId\":\"m\",\"press\":\"triple\"}", RejectReason.BAD_FIELD),
                bad(Channel.PRESS, "{\"msgId\":\"m\",\"press\":\"SINGLE\"}", RejectReason.BAD_FIELD),
                bad(Channel.PRESS, "{\"msgId\":\"m\",\"press\":1}", RejectReason.BAD_FIELD),
                bad(
                        Channel.PRESS,
                        "{\"msgId\":\"m\",\"press\":\"single\",\"at\":\"yesterday\"}",
                        RejectReason.BAD_FIELD),
                bad(Channel.PRESS, "{\"msgId\":\"m\",\"press\":\"single\",\"at\":1700000000}", RejectReason.BAD_FIELD),
                bad(Channel.PRESS, "{\"msgId\":\"m\",\"press\":\"single\",\"battery\":101}", RejectReason.BAD_FIELD),
                bad(
                        Channel.PRESS,
                        "{\"msgId\":\"m\",\"press\":\"single\",\"battery\":\"low\"}",
                        RejectReason.BAD_FIELD),
                // PDA ack
                bad(Channel.PDA_ACK, "{\"msgId\":\"m\"}", RejectReason.MISSING_FIELD),
                bad(Channel.PDA_ACK, "{\"msgId\":\"m\",\"noticeId\":7}", RejectReason.BAD_FIELD),
                // recognition
                bad(Channel.RECOGNITION, recognition("\"face\"", "1.5"), RejectReason.BAD_FIELD),
                bad(Channel.RECOGNITION, recognition("\"face\"", "-0.01"), RejectReason.BAD_FIELD),
                bad(Channel.RECOGNITION, recognition("\"face\"", "\"0.9\""), RejectReason.BAD_FIELD),
                bad(Channel.RECOGNITION, recognition("\"iris\"", "0.9"), RejectReason.BAD_FIELD),
                bad(
                        Channel.RECOGNITION,
                        "{\"msgId\":\"m\",\"method\":\"qr\",\"confidence\":0.9}",
                        RejectReason.MISSING_FIELD),
                bad(
                        Channel.RECOGNITION,
                        "{\"msgId\":\"m\",\"method\":\"qr\",\"memberRef\":\"r\"}",
                        RejectReason.MISSING_FIELD),
                // label status
                bad(Channel.LABEL_STATUS, "{\"msgId\":\"m\",\"version\":1,\"battery\":101}", RejectReason.BAD_FIELD),
                bad(Channel.LABEL_STATUS, "{\"msgId\":\"m\",\"version\":1,\"battery\":-1}", RejectReason.BAD_FIELD),
                bad(Channel.LABEL_STATUS, "{\"msgId\":\"m\",\"version\":-1,\"battery\":50}", RejectReason.BAD_FIELD),
                bad(Channel.LABEL_STATUS, "{\"msgId\":\"m\",\"version\":\"3\",\"battery\":50}", RejectReason.BAD_FIELD),
                bad(Channel.LABEL_STATUS, "{\"msgId\":\"m\",\"battery\":50}", RejectReason.MISSING_FIELD),
                // PDA status
                bad(Channel.PDA_STATUS, "{\"msgId\":\"m\",\"state\":\"sleeping\"}", RejectReason.BAD_FIELD),
                bad(Channel.PDA_STATUS, "{\"msgId\":\"m\"}", RejectReason.MISSING_FIELD),
                // short and substitute
                bad(
                        Channel.SHORT,
                        "{\"msgId\":\"m\",\"orderId\":\"o\",\"sku\":\"X\",\"reason\":\"lazy\"}",
                        RejectReason.BAD_FIELD),
                bad(
                        Channel.SHORT,
                        "{\"msgId\":\"m\",\"orderId\":\"o\",\"reason\":\"damaged\"}",
                        RejectReason.MISSING_FIELD),
                bad(
                        Channel.SUBSTITUTE,
                        "{\"msgId\":\"m\",\"orderId\":\"o\",\"sku\":\"X\",\"barcode\":\"1\",\"qty\":0}",
                        RejectReason.BAD_FIELD),
                bad(
                        Channel.SUBSTITUTE,
                        "{\"msgId\":\"m\",\"orderId\":\"o\",\"sku\":\"X\",\"qty\":1}",
                        RejectReason.MISSING_FIELD),
                // sale
                bad(Channel.SALE, "{\"msgId\":\"m\"}", RejectReason.MISSING_FIELD),
                bad(Channel.SALE, "{\"msgId\":\"m\",\"lines\":[]}", RejectReason.BAD_FIELD),
                bad(Channel.SALE, "{\"msgId\":\"m\",\"lines\":{\"sku\":\"X\",\"qty\":1}}", RejectReason.BAD_FIELD),
                bad(Channel.SALE, "{\"msgId\":\"m\",\"lines\":[7]}", RejectReason.BAD_FIELD),
                bad(Channel.SALE, "{\"msgId\":\"m\",\"lines\":[{\"qty\":1}]}", RejectReason.BAD_FIELD),
                bad(
                        Channel.SALE,
                        "{\"msgId\":\"m\",\"lines\":[{\"sku\":\"X\",\"barcode\":\"96385074\",\"qty\":1}]}",
                        RejectReason.BAD_FIELD),
                bad(Channel.SALE, "{\"msgId\":\"m\",\"lines\":[{\"sku\":\"X\",\"qty\":0}]}", RejectReason.BAD_FIELD),
                bad(Channel.SALE, "{\"msgId\":\"m\",\"lines\":[{\"sku\":\"X\",\"qty\":1.5}]}", RejectReason.BAD_FIELD),
                bad(Channel.SALE, "{\"msgId\":\"m\",\"lines\":[{\"sku\":\"X\"}]}", RejectReason.MISSING_FIELD),
                bad(Channel.SALE, "{\"msgId\":\"m\",\"lines\":[{\"sku\":\"\",\"qty\":1}]}", RejectReason.BAD_FIELD),
                bad(
                        Channel.SALE,
                        "{\"msgId\":\"m\",\"lines\":[{\"sku\":\"X\",\"qty\":1}],\"at\":\"yesterday\"}",
                        RejectReason.BAD_FIELD),
                bad(Channel.SALE, "{\"lines\":[{\"sku\":\"X\",\"qty\":1}]}", RejectReason.MISSING_FIELD));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} -> {2}")
    @MethodSource("badPayloads")
    void given_a_bad_payload_then_it_is_rejected_with_its_reason(Channel channel, String json, RejectReason reason) {
        Rejection rejection = assertThrows(Rejection.class, () -> PayloadDecoder.decode(channel, DEVICE, utf8(json)));
        assertEquals(reason, rejection.reason(), rejection.detail());
        assertTrue(!rejection.detail().isBlank(), "a rejection says what is wrong");
    }

    static Stream<Arguments> badBytes() {
        byte[] utf16 = "{\"msgId\":\"m\",\"press\":\"single\"}".getBytes(StandardCharsets.UTF_16);
        byte[] utf16le = "{\"msgId\":\"m\",\"press\":\"single\"}".getBytes(StandardCharsets.UTF_16LE);
        byte[] brokenString =
                concat(utf8("{\"msgId\":\""), new byte[] {(byte) 0xC3, 0x28}, utf8("\",\"press\":\"single\"}"));
        byte[] overlong =
                concat(utf8("{\"msgId\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\",\"press\":\"single\"}"));
        byte[] truncated =
                concat(utf8("{\"msgId\":\"m\",\"press\":\"single\"}"), new byte[] {(byte) 0xE2, (byte) 0x82});
        return Stream.of(
                arguments("no bytes at all", new byte[0]),
                arguments("a lone 0xFF", new byte[] {(byte) 0xFF}),
                arguments("binary garbage", new byte[] {0x00, (byte) 0x9F, (byte) 0x92, (byte) 0x96, 0x7F}),
                arguments("invalid UTF-8 inside a string", brokenString),
                arguments("an overlong UTF-8 encoding of '/'", overlong),
                arguments("a truncated multi-byte sequence at the end", truncated),
                arguments("UTF-16 with a byte order mark", utf16),
                arguments("UTF-16LE without a byte order mark", utf16le));
    }

    @ParameterizedTest(name = "[{index}] {0} is not JSON")
    @MethodSource("badBytes")
    void given_bytes_that_are_not_utf8_json_then_the_reason_is_not_json(String what, byte[] payload) {
        Rejection rejection =
                assertThrows(Rejection.class, () -> PayloadDecoder.decode(Channel.PRESS, DEVICE, payload));
        assertEquals(RejectReason.NOT_JSON, rejection.reason(), rejection.detail());
    }

    @Test
    void given_a_recognition_that_is_not_json_then_the_rejection_does_not_quote_its_reference() {
        byte[] payload = utf8("{\"msgId\":\"m\",\"memberRef\":CARD-SECRET-42}");
        Rejection rejection =
                assertThrows(Rejection.class, () -> PayloadDecoder.decode(Channel.RECOGNITION, DEVICE, payload));
        assertEquals(RejectReason.NOT_JSON, rejection.reason());
        assertTrue(!rejection.detail().contains("SECRET"), rejection.detail());
        Rejection press = assertThrows(
                Rejection.class,
                () -> PayloadDecoder.decode(Channel.PRESS, DEVICE, utf8("{\"msgId\":\"m\",\"press\":CARD-SECRET-42}")));
        assertTrue(press.detail().contains("CARD"), "other channels keep the parser's help: " + press.detail());
    }

    @Test
    void given_a_payload_one_byte_over_64_KiB_then_it_is_too_large_before_it_is_parsed() {
        // Valid JSON padded with spaces: the size alone decides.
        byte[] payload = padded("{\"msgId\":\"m\",\"press\":\"single\"}", PayloadDecoder.MAX_PAYLOAD + 1);
        Rejection rejection =
                assertThrows(Rejection.class, () -> PayloadDecoder.decode(Channel.PRESS, DEVICE, payload));
        assertEquals(RejectReason.TOO_LARGE, rejection.reason());
        assertTrue(rejection.detail().contains(Integer.toString(PayloadDecoder.MAX_PAYLOAD + 1)), rejection.detail());
    }

    @Test
    void given_garbage_over_64_KiB_then_it_is_too_large_not_not_json() {
        byte[] payload = new byte[PayloadDecoder.MAX_PAYLOAD * 2];
        Arrays.fill(payload, (byte) 0xFF);
        Rejection rejection = assertThrows(Rejection.class, () -> PayloadDecoder.decode(Channel.SCAN, DEVICE, payload));
        assertEquals(RejectReason.TOO_LARGE, rejection.reason());
    }

    @Test
    void given_a_payload_of_exactly_64_KiB_then_it_is_accepted() throws Rejection {
        byte[] payload = padded("{\"msgId\":\"m\",\"press\":\"single\"}", PayloadDecoder.MAX_PAYLOAD);
        assertEquals(64 * 1024, payload.length);
        assertInstanceOf(DeviceMessage.Press.class, PayloadDecoder.decode(Channel.PRESS, DEVICE, payload));
    }

    private static Arguments bad(Channel channel, String json, RejectReason reason) {
        return arguments(channel, json, reason);
    }

    private static String scan(String qty) {
        return "{\"msgId\":\"m\",\"orderId\":\"o\",\"barcode\":\"4006381333931\",\"qty\":" + qty + "}";
    }

    private static String recognition(String method, String confidence) {
        return "{\"msgId\":\"m\",\"method\":" + method + ",\"memberRef\":\"r\",\"confidence\":" + confidence + "}";
    }

    private static byte[] padded(String json, int size) {
        byte[] body = utf8(json);
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) ' ');
        System.arraycopy(body, 0, payload, 0, body.length);
        return payload;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
