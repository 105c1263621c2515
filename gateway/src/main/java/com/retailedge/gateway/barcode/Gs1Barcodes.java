package com.retailedge.gateway.barcode;

import com.retailedge.gateway.domain.Gtin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what a PDA scanner reads: EAN-8, UPC-A, EAN-13, GTIN-14; in-store variable-measure EAN-13 codes
 * (prefix 20-29); GS1-128 and GS1 DataBar element strings with the AIs (01), (310x), (17) and (10), either
 * raw (with the {@code ]C1}/{@code ]e0} symbology identifier, FNC1 as the GS character) or in the
 * parenthesised human-readable form.
 *
 * <p>Variable-measure layout (the store's own numbering, GS1 leaves it to each country): {@code PP IIIII
 * VVVVV C}, prefix {@code PP}, item reference {@code IIIII}, value {@code VVVVV}, check digit {@code C}.
 * Prefixes 20-24 carry the weight in grams, 25-29 the price in cents.
 */
public final class Gs1Barcodes {
    private static final char GS = '\u001d';
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern PARENTHESISED = Pattern.compile("\\((\\d{2,4})\\)([^()]*)");

    private Gs1Barcodes() {}

    public static Barcode parse(String raw) throws BadBarcodeException {
        String code = raw.strip();
        boolean elementString = false;
        if (code.startsWith("]C1") || code.startsWith("]e0")) {
            code = code.substring(3);
            elementString = true;
        }
        while (!code.isEmpty() && code.charAt(0) == GS) {
            code = code.substring(1);
            elementString = true;
        }
        if (code.isEmpty()) {
            throw new BadBarcodeException("empty barcode");
        }
        if (code.charAt(0) == '(') {
            return fromElements(parenthesised(code));
        }
        if (!elementString && DIGITS.matcher(code).matches() && code.length() <= 14) {
            return plain(code);
        }
        return fromElements(raw(code));
    }

    private static Barcode plain(String code) throws BadBarcodeException {
        int n = code.length();
        if (n != 8 && n != 12 && n != 13 && n != 14) {
            throw new BadBarcodeException("barcode '" + code + "' has " + n + " digits; a GTIN has 8, 12, 13 or 14");
        }
        checkDigit(code);
        if (n == 13 && code.charAt(0) == '2') {
            return variableMeasure(code);
        }
        Barcode.Symbology symbology = switch (n) {
            case 8 -> Barcode.Symbology.EAN8;
            case 12 -> Barcode.Symbology.UPCA;
            case 13 -> Barcode.Symbology.EAN13;
            default -> Barcode.Symbology.GTIN14;
        };
        return new Barcode(symbology, code, null, null, null, null);
    }

    private static Barcode variableMeasure(String code) {
        int prefix = Integer.parseInt(code.substring(0, 2));
        int value = Integer.parseInt(code.substring(7, 12));
        String body = code.substring(0, 7) + "00000";
        String gtin = body + Gtin.checkDigit(body);
        boolean weight = prefix <= 24;
        return new Barcode(
                Barcode.Symbology.VARIABLE_MEASURE, gtin, weight ? value : null, weight ? null : value, null, null);
    }

    private static void checkDigit(String code) throws BadBarcodeException {
        if (!Gtin.isValid(code)) {
            throw new BadBarcodeException("barcode '" + code + "' has a wrong check digit (expected "
                    + Gtin.checkDigit(code.substring(0, code.length() - 1)) + ")");
        }
    }

    /** {@code (01)09506000134352(3103)001250(17)251231(10)AB12} */
    private static Map<String, String> parenthesised(String code) throws BadBarcodeException {
        Map<String, String> elements = new LinkedHashMap<>();
        Matcher m = PARENTHESISED.matcher(code);
        int at = 0;
        while (m.find() && m.start() == at) {
            put(elements, m.group(1), m.group(2));
            at = m.end();
        }
        if (at != code.length()) {
            throw new BadBarcodeException("element string '" + code + "' is malformed at position " + at);
        }
        return elements;
    }

    /** Raw element string: fixed-length AIs run on, a variable-length one ends at GS or the end. */
    private static Map<String, String> raw(String code) throws BadBarcodeException {
        Map<String, String> elements = new LinkedHashMap<>();
        int at = 0;
        while (at < code.length()) {
            if (code.charAt(at) == GS) {
                at++;
                continue;
            }
            String ai = aiAt(code, at);
            int start = at + ai.length();
            int length = fixedLength(ai);
            int end;
            if (length > 0) {
                end = start + length;
                if (end > code.length()) {
                    throw new BadBarcodeException("AI (" + ai + ") needs " + length + " characters");
                }
            } else {
                int gs = code.indexOf(GS, start);
                end = gs < 0 ? code.length() : gs;
            }
            put(elements, ai, code.substring(start, end));
            at = end;
        }
        return elements;
    }

    private static String aiAt(String code, int at) throws BadBarcodeException {
        if (code.startsWith("310", at) && at + 4 <= code.length()) {
            return code.substring(at, at + 4);
        }
        if (at + 2 <= code.length()) {
            String two = code.substring(at, at + 2);
            if (two.equals("01") || two.equals("17") || two.equals("10")) {
                return two;
            }
        }
        throw new BadBarcodeException("unsupported or malformed application identifier at position " + at + " of '"
                + code.replace(GS, '|') + "'");
    }

    /** Characters after the AI, or 0 for a variable-length field. */
    private static int fixedLength(String ai) {
        if (ai.equals("01")) {
            return 14;
        }
        if (ai.equals("17") || ai.startsWith("310")) {
            return 6;
        }
        return 0;
    }

    private static void put(Map<String, String> elements, String ai, String value) throws BadBarcodeException {
        if (elements.put(ai, value) != null) {
            throw new BadBarcodeException("AI (" + ai + ") appears twice");
        }
    }

    private static Barcode fromElements(Map<String, String> e) throws BadBarcodeException {
        String gtin = null;
        Integer grams = null;
        String expiry = null;
        String batch = null;
        for (Map.Entry<String, String> element : e.entrySet()) {
            String ai = element.getKey();
            String value = element.getValue();
            if (ai.equals("01")) {
                if (value.length() != 14 || !DIGITS.matcher(value).matches()) {
                    throw new BadBarcodeException("AI (01) must be 14 digits");
                }
                checkDigit(value);
                gtin = value;
            } else if (ai.length() == 4 && ai.startsWith("310") && ai.charAt(3) <= '5') {
                grams = grams(ai, value);
            } else if (ai.equals("17")) {
                expiry = date(value);
            } else if (ai.equals("10")) {
                if (value.isEmpty() || value.length() > 20) {
                    throw new BadBarcodeException("AI (10) batch must be 1..20 characters");
                }
                batch = value;
            } else {
                throw new BadBarcodeException("application identifier (" + ai + ") is not supported");
            }
        }
        if (gtin == null) {
            throw new BadBarcodeException("element string has no GTIN, AI (01)");
        }
        return new Barcode(Barcode.Symbology.GS1_ELEMENT_STRING, gtin, grams, null, expiry, batch);
    }

    /** (310x): net weight in kg with x decimals, as grams. */
    private static Integer grams(String ai, String value) throws BadBarcodeException {
        if (value.length() != 6 || !DIGITS.matcher(value).matches()) {
            throw new BadBarcodeException("AI (" + ai + ") weight must be 6 digits");
        }
        int decimals = ai.charAt(3) - '0';
        double kg = Integer.parseInt(value) / Math.pow(10, decimals);
        return (int) Math.round(kg * 1000);
    }

    /** (17) YYMMDD; day 00 means the end of the month. Returned as 20YY-MM-DD. */
    private static String date(String value) throws BadBarcodeException {
        if (value.length() != 6 || !DIGITS.matcher(value).matches()) {
            throw new BadBarcodeException("AI (17) expiry must be YYMMDD");
        }
        int month = Integer.parseInt(value.substring(2, 4));
        int day = Integer.parseInt(value.substring(4, 6));
        if (month < 1 || month > 12 || day > 31) {
            throw new BadBarcodeException("AI (17) expiry '" + value + "' is not a date");
        }
        return "20" + value.substring(0, 2) + "-" + value.substring(2, 4) + "-" + value.substring(4, 6);
    }
}
