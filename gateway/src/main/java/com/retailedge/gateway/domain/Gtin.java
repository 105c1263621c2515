package com.retailedge.gateway.domain;

/**
 * GS1 GTIN check-digit validation for EAN-8, UPC-A (12), EAN-13 and GTIN-14. The full barcode grammar
 * (GS1-128 element strings, variable-measure codes) belongs to the picking capability.
 */
public final class Gtin {
    private Gtin() {}

    /** True when {@code code} is 8, 12, 13 or 14 digits and its last digit is the GS1 mod-10 check digit. */
    public static boolean isValid(String code) {
        int n = code.length();
        if (n != 8 && n != 12 && n != 13 && n != 14) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                return false;
            }
        }
        return checkDigit(code.substring(0, n - 1)) == code.charAt(n - 1) - '0';
    }

    /** The mod-10 check digit of the digits before it: weights 3,1,3,... from the right. */
    public static int checkDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int digit = body.charAt(body.length() - 1 - i) - '0';
            sum += (i % 2 == 0) ? digit * 3 : digit;
        }
        return (10 - sum % 10) % 10;
    }
}
