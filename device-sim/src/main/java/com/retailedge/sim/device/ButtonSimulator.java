package com.retailedge.sim.device;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A shelf button: mostly single presses, now and then a double (cancel) or long press. Each press says when it
 * happened ({@code at}) and the battery level, which drains slowly from a random start (some start low).
 */
public final class ButtonSimulator implements DeviceSimulator {
    private final String deviceId;
    private int pressesLeftOnBattery = -1;

    /** @param deviceId the id, e.g. {@code button-2} */
    public ButtonSimulator(String deviceId) {
        this.deviceId = deviceId;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.BUTTON;
    }

    @Override
    public Draft next(RandomGenerator rnd) {
        int roll = rnd.nextInt(100);
        String press = roll < 70 ? "single" : roll < 85 ? "double" : "long";
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("press", press);
        f.put("at", Instant.now().toString());
        if (pressesLeftOnBattery < 0) {
            pressesLeftOnBattery = 20 * (5 + rnd.nextInt(96));
        }
        pressesLeftOnBattery = Math.max(0, pressesLeftOnBattery - 1);
        f.put("battery", pressesLeftOnBattery / 20);
        return new Draft("press", f);
    }
}
