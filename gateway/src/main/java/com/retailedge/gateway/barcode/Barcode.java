package com.retailedge.gateway.barcode;

import java.util.ArrayList;
import java.util.List;

/**
 * What a scanned barcode says: the GTIN that identifies the item and, where the code carries them, its
 * weight, price, expiry date and batch. For a variable-measure code the GTIN is the item's own number with
 * the measure zeroed, which is how the catalog lists it.
 */
public record Barcode(
        Symbology symbology, String gtin, Integer weightGrams, Integer priceCents, String expiry, String batch) {

    /** How the code was written. */
    public enum Symbology {
        EAN8,
        UPCA,
        EAN13,
        GTIN14,
        VARIABLE_MEASURE,
        GS1_ELEMENT_STRING
    }

    /**
     * The forms under which the catalog may list this GTIN: a GTIN-14 with leading zeros is the same item as
     * the EAN-13, UPC-A or EAN-8 inside it.
     */
    public List<String> lookupKeys() {
        String g14 = "0".repeat(14 - gtin.length()) + gtin;
        List<String> keys = new ArrayList<>(4);
        keys.add(g14);
        if (g14.startsWith("0")) {
            keys.add(g14.substring(1));
        }
        if (g14.startsWith("00")) {
            keys.add(g14.substring(2));
        }
        if (g14.startsWith("000000")) {
            keys.add(g14.substring(6));
        }
        return keys;
    }
}
