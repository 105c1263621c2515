package com.retailedge.sim.device;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** A shelf button: mostly single presses, now and then a double (cancel) or long press. */
public final class ButtonSimulator implements DeviceSimulator {
  private final String deviceId;

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
    return new Draft("press", f);
  }
}
