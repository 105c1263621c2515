package com.retailedge.sim.device;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EAN-13 check digits, proven against real GTINs printed on products and in standards. */
class Ean13Test {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "4006381333931",
                "5901234123457",
                "9780201379624",
                "4000417025005",
                "8711000530085",
                "0012345678905"
            })
    void real_gtins_are_valid_and_their_check_digit_is_recomputed(String gtin) {
        assertTrue(Ean13.isValid(gtin));
        assertEquals(gtin.charAt(12) - '0', Ean13.checkDigit(gtin.substring(0, 12)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4006381333932", "5901234123450", "9780201379625"})
    void a_wrong_check_digit_is_invalid(String code) {
        assertFalse(Ean13.isValid(code));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"400638133393", "40063813339311", "40063813339a1", " 4006381333931", "４００６３８１３３３９３１"})
    void anything_but_thirteen_ascii_digits_is_invalid(String code) {
        assertFalse(Ean13.isValid(code));
    }

    @Test
    void check_digit_needs_exactly_twelve_digits() {
        assertThrows(IllegalArgumentException.class, () -> Ean13.checkDigit("12345"));
        assertThrows(IllegalArgumentException.class, () -> Ean13.checkDigit("12345678901x"));
    }

    @Test
    void generated_codes_are_always_valid_and_never_start_with_zero() {
        Random rnd = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            String code = Ean13.random(rnd);
            assertTrue(Ean13.isValid(code), code);
            assertTrue(code.charAt(0) != '0', code);
        }
    }

    @Test
    void a_spoiled_code_keeps_its_digits_but_fails_the_check() {
        String bad = Ean13.withWrongCheckDigit("4006381333931");
        assertEquals("400638133393", bad.substring(0, 12));
        assertFalse(Ean13.isValid(bad));
    }
}
