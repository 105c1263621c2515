package com.retailedge.sim.device;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * An entrance camera recognising members by face, loyalty QR code or card. References come from a
 * small pool so the same members show up repeatedly, as regulars do.
 */
public final class CameraSimulator implements DeviceSimulator {
    private static final String[] METHODS = {"face", "qr", "card"};
    private final String deviceId;

    /** @param deviceId the id, e.g. {@code camera-1} */
    public CameraSimulator(String deviceId) {
        this.deviceId = deviceId;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.CAMERA;
    }

    /** The reference a camera reads for member number {@code member}; the sim's members command sends the same. */
    public static String reference(String method, int member) {
        return switch (method) {
            case "face" -> String.format("face-tpl-%06d", member);
            case "qr" -> String.format("QR-M%06d", member);
            default -> String.format("card-%010d", 4_000_000_000L + member);
        };
    }

    @Override
    public Draft next(RandomGenerator rnd) {
        String method = METHODS[rnd.nextInt(METHODS.length)];
        int member = 1 + rnd.nextInt(200);
        String ref = reference(method, member);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("method", method);
        f.put("memberRef", ref);
        // Face matching is fuzzy; QR and card reads are near-certain.
        double confidence = "face".equals(method) ? 0.55 + 0.44 * rnd.nextDouble() : 0.97 + 0.03 * rnd.nextDouble();
        f.put("confidence", Math.round(confidence * 1000) / 1000.0);
        return new Draft("recognition", f);
    }
}
