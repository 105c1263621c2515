package com.retailedge.sim.device;

import java.util.Map;

/**
 * What a device wants to say, before it gets a msgId and timestamp.
 *
 * @param channel the last topic / URI segment: {@code scan}, {@code status}, {@code press}, {@code recognition}
 * @param fields the payload fields in wire order, without {@code msgId} and {@code sentAt}
 */
public record Draft(String channel, Map<String, Object> fields) {}
