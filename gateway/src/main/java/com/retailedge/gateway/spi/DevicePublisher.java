package com.retailedge.gateway.spi;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Sends messages to in-store devices over MQTT (task lists and notices for PDAs). Fire and forget at QoS 1:
 * callers publish after their transaction committed and keep in SQLite whatever must survive a lost send.
 * Messages to one topic arrive in the order they were given.
 */
@FunctionalInterface
public interface DevicePublisher {
    /** One message to one device topic. */
    void publish(String topic, String json);

    /**
     * The same message to each device, on the topic {@code topicOf} makes of its id: a notice to every PDA. Kept
     * as one entry until sent, so a burst of notices to fifty PDAs holds fifty ids per notice, not fifty copies.
     */
    default void publishToEach(List<String> deviceIds, UnaryOperator<String> topicOf, String json) {
        deviceIds.forEach(id -> publish(topicOf.apply(id), json));
    }

    /** Several messages to one topic, in this order: the open notices for a PDA that came back. */
    default void publishAll(String topic, List<String> jsons) {
        jsons.forEach(json -> publish(topic, json));
    }
}
