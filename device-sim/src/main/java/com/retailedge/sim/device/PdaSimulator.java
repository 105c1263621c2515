package com.retailedge.sim.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A picker's handheld: works through one order at a time, scanning a few items per order before
 * moving to another, the way a picker walks a pick list.
 */
public final class PdaSimulator implements DeviceSimulator {
    private final String deviceId;
    private final List<String> orderIds;
    private final List<String> barcodes;
    private String currentOrder;
    private int scansLeftInOrder;

    /**
     * @param deviceId the id, e.g. {@code pda-1}
     * @param orderIds orders to pick from; empty means invent {@code o-1001}-style ids
     * @param barcodes valid EAN-13 codes to scan; empty means random valid codes
     */
    public PdaSimulator(String deviceId, List<String> orderIds, List<String> barcodes) {
        this.deviceId = deviceId;
        this.orderIds = List.copyOf(orderIds);
        this.barcodes = List.copyOf(barcodes);
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.PDA;
    }

    @Override
    public List<Draft> startup() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("state", "idle");
        return List.of(new Draft("status", f));
    }

    /** Logs out, so the gateway puts its orders back to waiting and sends it no more notices. */
    @Override
    public List<Draft> shutdown() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("state", "off");
        return List.of(new Draft("status", f));
    }

    @Override
    public Draft next(RandomGenerator rnd) {
        if (currentOrder == null || scansLeftInOrder <= 0) {
            currentOrder =
                    orderIds.isEmpty() ? "o-" + (1001 + rnd.nextInt(9000)) : orderIds.get(rnd.nextInt(orderIds.size()));
            scansLeftInOrder = 1 + rnd.nextInt(6);
        }
        scansLeftInOrder--;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("orderId", currentOrder);
        f.put("barcode", barcodes.isEmpty() ? Ean13.random(rnd) : barcodes.get(rnd.nextInt(barcodes.size())));
        // Most picks are single items; a few lines ask for several of the same product.
        int roll = rnd.nextInt(10);
        f.put("qty", roll < 7 ? 1 : roll < 9 ? 2 : 3 + rnd.nextInt(4));
        return new Draft("scan", f);
    }
}
