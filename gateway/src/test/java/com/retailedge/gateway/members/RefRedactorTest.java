package com.retailedge.gateway.members;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a dead letter keeps of a payload that may hold a member reference, and the keyed hash itself. */
class RefRedactorTest {
    private static final String RECOGNITION = "store/s001/camera/cam-1/recognition";
    private static final String MEMBERS = "retail/s001/commands/members";
    private final RefRedactor redactor = new RefRedactor();

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                RECOGNITION + " | {\"msgId\":\"m\",\"memberRef\":\"SECRET\",\"confidence\":7}",
                RECOGNITION + " | {\"msgId\":\"m\",\"memberRef\":\"SECRET\",",
                RECOGNITION + " | {\"msgId\":\"m\",\"memberRef\":SECRET}",
                RECOGNITION + " | SECRET",
                RECOGNITION + " | \"SECRET\"",
                RECOGNITION + " | [{\"memberRef\":\"SECRET\"}]",
                RECOGNITION + " | {\"msgId\":\"m\",\"nested\":{\"memberRef\":\"SECRET\"}}",
                MEMBERS
                        + " | {\"commandId\":\"c\",\"members\":[{\"memberId\":\"a\",\"refs\":[{\"method\":\"qr\",\"ref\":\"SECRET\"}]}]}",
                MEMBERS + " | {\"commandId\":\"c\",\"members\":[{\"refs\":[{\"ref\":\"SECRET\"",
                "store/s001/button/b-1/press | {\"msgId\":\"m\",\"memberRef\":\"SECRET\"}",
                "store/s001/button/b-1/press | {\"msgId\":\"m\",\"x\":[{\"cardRef\":\"SECRET\"}]}",
                "store/s001/button/b-1/press | {\"msgId\":\"m\",\"references\":[\"SECRET\"]}",
                "store/s001/camera/camera-1/recognize | {\"msgId\":\"m\",\"code\":\"SECRET\"}",
                "store/s001/camera/camera-1/recognition/x | {\"msgId\":\"m\",\"memberRef\":\"SECRET\"}",
                MEMBERS + " | {\"members\":[{\"memberId\":\"a\",\"refs\":[{\"method\":\"qr\",\"code\":\"SECRET\"}]}]}",
                MEMBERS + " | {\"commandId\":\"c\",\"members\":[{\"memberId\":\"a\",\"refs\":[\"SECRET\"]}]}",
                MEMBERS
                        + " | {\"commandId\":\"c\",\"members\":[{\"memberId\":\"a\",\"extra\":{\"deep\":[{\"x\":\"SECRET\"}]}}]}",
                MEMBERS + " | {\"commandId\":\"c\",\"members\":[{\"memberId\":\"a\",\"tierRef\":{\"qr\":\"SECRET\"}}]}",
            })
    void given_a_payload_that_may_hold_a_reference_then_the_kept_bytes_do_not(String address, String payload) {
        String kept = new String(redactor.keep(address, payload.getBytes(UTF_8)), UTF_8);
        assertFalse(kept.contains("SECRET"), kept);
    }

    @Test
    void given_a_redacted_recognition_then_everything_else_is_kept() {
        String kept = new String(
                redactor.keep(
                        RECOGNITION, "{\"msgId\":\"m-1\",\"memberRef\":\"SECRET\",\"confidence\":7}".getBytes(UTF_8)),
                UTF_8);
        assertEquals("{\"msgId\":\"m-1\",\"memberRef\":\"[redacted]\",\"confidence\":7}", kept);
    }

    @Test
    void given_a_members_command_then_its_known_fields_are_kept() {
        String kept = new String(
                redactor.keep(
                        MEMBERS,
                        ("{\"commandId\":\"c-9\",\"members\":[{\"memberId\":\"m-7\","
                                        + "\"tier\":\"L2\",\"consent\":true,\"refs\":[{\"method\":\"qr\",\"ref\":\"SECRET\"}]}]}")
                                .getBytes(UTF_8)),
                UTF_8);
        assertEquals(
                "{\"commandId\":\"c-9\",\"members\":[{\"memberId\":\"m-7\",\"tier\":\"L2\",\"consent\":true,"
                        + "\"refs\":[{\"method\":\"qr\",\"ref\":\"[redacted]\"}]}]}",
                kept);
    }

    @Test
    void given_other_input_then_it_is_kept_byte_for_byte() {
        byte[] notJson = {(byte) 0xFF, 'x', '{'};
        assertArrayEquals(notJson, redactor.keep("store/s001/pda/p-1/scan", notJson));
        byte[] scan = "{ \"msgId\" : \"m\", \"qty\": 0 }".getBytes(UTF_8);
        assertArrayEquals(scan, redactor.keep("store/s001/pda/p-1/scan", scan), "not even re-formatted");
    }

    @Test
    void the_hash_is_keyed_and_depends_on_the_method() {
        RefHasher one = new RefHasher("k".repeat(32));
        RefHasher other = new RefHasher("j".repeat(32));
        assertEquals(one.hash("card", "1234"), new RefHasher("k".repeat(32)).hash("card", "1234"));
        assertNotEquals(one.hash("card", "1234"), other.hash("card", "1234"));
        assertNotEquals(one.hash("card", "1234"), one.hash("qr", "1234"));
        assertTrue(one.hash("card", "1234").matches("[0-9a-f]{64}"));
        assertFalse(one.hash("card", "1234").contains("1234"));
        assertNotEquals(one.fingerprint(), other.fingerprint());
    }
}
