package com.retailedge.gateway.barcode;

/** A barcode that is not one of the supported GS1 forms, or whose check digit or fields are wrong. */
public final class BadBarcodeException extends Exception {
    public BadBarcodeException(String detail) {
        super(detail, null, false, false);
    }
}
