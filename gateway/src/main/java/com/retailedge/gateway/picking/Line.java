package com.retailedge.gateway.picking;

/**
 * One order line as stored: a counted line ({@code qty} items) or a weighed line ({@code weightG} grams,
 * picked within the configured tolerance), with what has been picked so far.
 */
record Line(
        int lineNo,
        String sku,
        Integer qty,
        Integer weightG,
        long picked,
        long pickedUnits,
        boolean substitutable,
        String location,
        String name,
        String shortReason) {

    boolean weighed() {
        return weightG != null;
    }

    long target() {
        return weighed() ? weightG : qty;
    }

    /** Most a line may hold: the ordered amount, or for a weighed line that plus the tolerance. */
    long ceiling(int tolerancePercent) {
        return weighed() ? weightG + (long) weightG * tolerancePercent / 100 : qty;
    }

    /** Picked enough: all items, or for a weighed line at least the ordered weight less the tolerance. */
    boolean complete(int tolerancePercent) {
        return picked >= (weighed() ? weightG - (long) weightG * tolerancePercent / 100 : qty);
    }

    boolean done(int tolerancePercent) {
        return shortReason != null || complete(tolerancePercent);
    }

    long left() {
        return Math.max(0, target() - picked);
    }

    Line plus(long amount, long units) {
        return new Line(
                lineNo,
                sku,
                qty,
                weightG,
                picked + amount,
                pickedUnits + units,
                substitutable,
                location,
                name,
                shortReason);
    }

    Line shorted(String reason) {
        return new Line(lineNo, sku, qty, weightG, picked, pickedUnits, substitutable, location, name, reason);
    }
}
