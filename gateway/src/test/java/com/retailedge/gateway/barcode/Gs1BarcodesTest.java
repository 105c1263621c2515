package com.retailedge.gateway.barcode;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** What PDA scanners read, as a table: real GTINs, variable-measure codes, GS1 element strings, and bad codes. */
class Gs1BarcodesTest {
    private static final String GS = "\u001d";

    static Stream<Arguments> good() {
        return Stream.of(
                // what the scanner sent, symbology, GTIN to look up, grams, cents, expiry, batch
                arguments("4006381333931", "EAN13", "4006381333931", null, null, null, null),
                arguments("5901234123457", "EAN13", "5901234123457", null, null, null, null),
                arguments("96385074", "EAN8", "96385074", null, null, null, null),
                arguments("036000291452", "UPCA", "036000291452", null, null, null, null),
                arguments("09506000134352", "GTIN14", "09506000134352", null, null, null, null),
                arguments(" 4006381333931\n", "EAN13", "4006381333931", null, null, null, null),
                // variable measure: 20 + item 12345 + 01250 g; 26 + item 12345 + 399 cents
                arguments("2012345012509", "VARIABLE_MEASURE", "2012345000001", 1250, null, null, null),
                arguments("2612345003998", "VARIABLE_MEASURE", "2612345000003", null, 399, null, null),
                // GS1-128 / DataBar, raw with symbology identifier and GS, and parenthesised
                arguments(
                        "]C10109506000134352" + "3103001250" + "17251231" + "10AB12",
                        "GS1_ELEMENT_STRING",
                        "09506000134352",
                        1250,
                        null,
                        "2025-12-31",
                        "AB12"),
                arguments(
                        "]C11005-LOT" + GS + "0109506000134352",
                        "GS1_ELEMENT_STRING",
                        "09506000134352",
                        null,
                        null,
                        null,
                        "05-LOT"),
                arguments(
                        "]e001095060001343523102000455",
                        "GS1_ELEMENT_STRING",
                        "09506000134352",
                        4550,
                        null,
                        null,
                        null),
                arguments(GS + "0104006381333931", "GS1_ELEMENT_STRING", "04006381333931", null, null, null, null),
                arguments(
                        "0105901234123457" + "17270600",
                        "GS1_ELEMENT_STRING",
                        "05901234123457",
                        null,
                        null,
                        "2027-06-00",
                        null),
                arguments(
                        "(01)09506000134352(3103)000500(10)X1",
                        "GS1_ELEMENT_STRING",
                        "09506000134352",
                        500,
                        null,
                        null,
                        "X1"),
                arguments(
                        "(01)04006381333931(17)261130",
                        "GS1_ELEMENT_STRING",
                        "04006381333931",
                        null,
                        null,
                        "2026-11-30",
                        null));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
    @MethodSource("good")
    void good_codes_are_read(
            String scanned, String symbology, String gtin, Integer grams, Integer cents, String expiry, String batch)
            throws Exception {
        Barcode b = Gs1Barcodes.parse(scanned);
        assertEquals(symbology, b.symbology().name());
        assertEquals(gtin, b.gtin());
        assertEquals(grams, b.weightGrams());
        assertEquals(cents, b.priceCents());
        assertEquals(expiry, b.expiry());
        assertEquals(batch, b.batch());
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                arguments("4006381333932", "check digit"),
                arguments("96385075", "check digit"),
                arguments("036000291453", "check digit"),
                arguments("09506000134353", "check digit"),
                arguments("2012345012508", "check digit"),
                arguments("400638133393", "check digit"),
                arguments("1234567", "7 digits"),
                arguments("", "empty"),
                arguments("   ", "empty"),
                arguments("]C1", "empty"),
                arguments("ABC-123", "application identifier"),
                arguments("]C10109506000134353", "check digit"),
                arguments("]C1010950600013435", "needs 14"),
                arguments("]C1" + "10AB" + GS + "17251231", "no GTIN"),
                arguments("]C10109506000134352" + "17251331", "not a date"),
                arguments("]C10109506000134352" + "3103001A50", "6 digits"),
                arguments("]C10109506000134352" + "0109506000134352", "twice"),
                arguments("]C10109506000134352" + "21SERIAL", "application identifier"),
                arguments("(01)09506000134352(21)X", "not supported"),
                arguments("(01)09506000134352junk", "14 digits"),
                arguments("junk(01)09506000134352", "application identifier"),
                arguments("(01)9506000134352", "14 digits"),
                arguments("(10)" + "X".repeat(21) + "(01)09506000134352", "1..20"));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("bad")
    void bad_codes_are_refused_with_a_reason(String scanned, String why) {
        BadBarcodeException e = assertThrows(BadBarcodeException.class, () -> Gs1Barcodes.parse(scanned));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void a_gtin_is_looked_up_in_each_of_its_shorter_forms() throws Exception {
        assertEquals(
                List.of("04006381333931", "4006381333931"),
                Gs1Barcodes.parse("4006381333931").lookupKeys());
        assertEquals(
                List.of("00036000291452", "0036000291452", "036000291452"),
                Gs1Barcodes.parse("036000291452").lookupKeys());
        assertEquals(
                List.of("00000096385074", "0000096385074", "000096385074", "96385074"),
                Gs1Barcodes.parse("96385074").lookupKeys());
    }
}
