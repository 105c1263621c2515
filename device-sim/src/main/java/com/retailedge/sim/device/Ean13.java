package com.retailedge.sim.device;

import java.util.random.RandomGenerator;

/** EAN-13 / GTIN-13 barcodes: the mod-10 check digit, validation and random generation. */
public final class Ean13 {
    private Ean13() {}

    /**
     * The check digit for the first 12 digits: weights 1,3,1,3... from the left, then the amount
     * needed to reach the next multiple of ten.
     */
    public static int checkDigit(String first12) {
        if (first12 == null || first12.length() != 12 || !allDigits(first12)) {
            throw new IllegalArgumentException("need exactly 12 digits, got '" + first12 + "'");
        }
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int d = first12.charAt(i) - '0';
            sum += (i % 2 == 0) ? d : 3 * d;
        }
        return (10 - sum % 10) % 10;
    }

    /** True for 13 digits whose last digit is the correct check digit. */
    public static boolean isValid(String code) {
        if (code == null || code.length() != 13 || !allDigits(code)) {
            return false;
        }
        return checkDigit(code.substring(0, 12)) == code.charAt(12) - '0';
    }

    /** A random valid EAN-13; the leading digit is never 0 so it reads as a store product code. */
    public static String random(RandomGenerator rnd) {
        StringBuilder sb = new StringBuilder(13);
        sb.append(1 + rnd.nextInt(9));
        for (int i = 1; i < 12; i++) {
            sb.append(rnd.nextInt(10));
        }
        sb.append(checkDigit(sb.toString()));
        return sb.toString();
    }

    /** The same code with a wrong check digit, for deliberately bad scans. */
    public static String withWrongCheckDigit(String valid) {
        int right = valid.charAt(12) - '0';
        return valid.substring(0, 12) + ((right + 1) % 10);
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
