package com.retailedge.sim.device;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * All simulated devices of a run, and the choice of which one speaks next so that traffic follows
 * the kinds' weights (50% scans, 20% presses, 10% recognitions, 20% label status).
 */
public final class Fleet {
    private final Map<DeviceKind, List<DeviceSimulator>> byKind = new EnumMap<>(DeviceKind.class);
    private final List<DeviceSimulator> all = new ArrayList<>();
    private final List<DeviceKind> talking = new ArrayList<>();
    private final int totalWeight;

    /**
     * @param counts how many devices of each kind; ids are {@code pda-1..pda-N} and so on, as the
     *     gateway's shipped config registers them
     * @param talkingKinds the kinds that send regular traffic (others only exist)
     * @param orderIds orders PDAs pick from (empty: invented)
     * @param barcodes barcodes PDAs scan (empty: random valid EAN-13)
     * @param rnd source for labels' starting battery
     */
    public Fleet(
            Map<DeviceKind, Integer> counts,
            Set<DeviceKind> talkingKinds,
            List<String> orderIds,
            List<String> barcodes,
            RandomGenerator rnd) {
        int weight = 0;
        for (DeviceKind kind : DeviceKind.values()) {
            int n = counts.getOrDefault(kind, 0);
            List<DeviceSimulator> list = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                String id = kind.segment() + "-" + i;
                list.add(
                        switch (kind) {
                            case PDA -> new PdaSimulator(id, orderIds, barcodes);
                            case BUTTON -> new ButtonSimulator(id);
                            case CAMERA -> new CameraSimulator(id);
                            case LABEL -> new LabelSimulator(id, 1, 40 + rnd.nextInt(61));
                        });
            }
            byKind.put(kind, list);
            all.addAll(list);
            if (n > 0 && talkingKinds.contains(kind)) {
                talking.add(kind);
                weight += kind.trafficWeight();
            }
        }
        if (weight == 0) {
            throw new IllegalArgumentException("no devices to send from: every selected kind has count 0");
        }
        this.totalWeight = weight;
    }

    /** Every device, in kind order then id order. */
    public List<DeviceSimulator> all() {
        return List.copyOf(all);
    }

    /** The devices of one kind. */
    public List<DeviceSimulator> of(DeviceKind kind) {
        return byKind.get(kind);
    }

    /** Picks the next device to speak: a kind by weight, then a device of that kind uniformly. */
    public DeviceSimulator pick(RandomGenerator rnd) {
        int roll = rnd.nextInt(totalWeight);
        for (DeviceKind kind : talking) {
            roll -= kind.trafficWeight();
            if (roll < 0) {
                List<DeviceSimulator> list = byKind.get(kind);
                return list.get(rnd.nextInt(list.size()));
            }
        }
        throw new IllegalStateException("weights do not add up");
    }
}
