package com.retailedge.sim.device;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * An electronic shelf label reporting the content version it shows and its battery, which drains
 * slowly over the run.
 */
public final class LabelSimulator implements DeviceSimulator {
    private final String deviceId;
    private final int version;
    private int battery;

    /**
     * @param deviceId the id, e.g. {@code esl-4}
     * @param version the content version the label reports showing
     * @param battery starting battery percentage
     */
    public LabelSimulator(String deviceId, int version, int battery) {
        this.deviceId = deviceId;
        this.version = version;
        this.battery = battery;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.LABEL;
    }

    @Override
    public Draft next(RandomGenerator rnd) {
        if (battery > 1 && rnd.nextInt(20) == 0) {
            battery--;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("version", version);
        f.put("battery", battery);
        return new Draft("status", f);
    }
}
