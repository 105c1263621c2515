package com.retailedge.sim.device;

import java.util.List;
import java.util.random.RandomGenerator;

/** One simulated device: it knows its id and state and decides what it says next. */
public interface DeviceSimulator {
    /** The device id, e.g. {@code pda-3}. */
    String deviceId();

    /** The kind of device. */
    DeviceKind kind();

    /** The device's next regular message. Called from the pacer thread only. */
    Draft next(RandomGenerator rnd);

    /** Messages the device sends once when it powers up (a PDA announces it is idle). */
    default List<Draft> startup() {
        return List.of();
    }

    /** Messages the device sends once when the run ends (a PDA logs out with {@code off}). */
    default List<Draft> shutdown() {
        return List.of();
    }
}
