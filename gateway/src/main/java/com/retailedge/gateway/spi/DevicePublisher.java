package com.retailedge.gateway.spi;

/**
 * Sends a message to in-store devices over MQTT (task lists and notices for PDAs). Fire and forget at QoS 1:
 * callers publish after their transaction committed and keep in SQLite whatever must survive a lost send.
 */
public interface DevicePublisher {
    void publish(String topic, String json);
}
