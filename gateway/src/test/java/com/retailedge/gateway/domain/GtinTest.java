package com.retailedge.gateway.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GS1 check digits of the GTIN lengths a PDA can scan, against real codes and a table of bad ones. */
class GtinTest {

    @ParameterizedTest(name = "{1} {0} is valid")
    @CsvSource({
        "4006381333931,  EAN-13",
        "5901234123457,  EAN-13",
        "9780201379624,  EAN-13 (ISBN)",
        "96385074,       EAN-8",
        "036000291452,   UPC-A",
        "10614141000415, GTIN-14",
    })
    void given_a_real_gtin_then_it_is_valid(String code, String kind) {
        assertTrue(Gtin.isValid(code), kind + " " + code);
    }

    @ParameterizedTest(name = "check digit of {0} is {1}")
    @CsvSource({
        "400638133393,  1",
        "590123412345,  7",
        "978020137962,  4",
        "9638507,       4",
        "03600029145,   2",
        "1061414100041, 5",
    })
    void the_check_digit_is_computed_with_weights_3_1_from_the_right(String body, int expected) {
        assertEquals(expected, Gtin.checkDigit(body));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is not valid")
    @ValueSource(
            strings = {
                "4006381333932", // EAN-13, check digit off by one
                "4006381333930", // EAN-13, check digit off by one the other way
                "5901234123450", // EAN-13, wrong check digit
                "96385075", // EAN-8, wrong check digit
                "036000291453", // UPC-A, wrong check digit
                "10614141000416", // GTIN-14, wrong check digit
                "4006381333913", // EAN-13, two digits swapped
                "40063813339A1", // a letter
                "ABCDEFGHIJKLM", // letters only
                "4006381333 31", // a space
                "-006381333931", // a sign
                "４００６３８１３３３９３１", // full-width digits are not ASCII digits
                "", // empty
                "1", // one digit
                "9638507", // 7 digits
                "963850745", // 9 digits
                "0360002914521", // UPC-A with a digit appended: 13 digits, wrong check digit
                "10000000000", // 11 digits
                "106141410004150", // 15 digits
                "400638133393140063", // 18 digits (an SSCC length, not a GTIN)
            })
    void given_a_bad_code_then_it_is_not_valid(String code) {
        assertFalse(Gtin.isValid(code), code);
    }
}
