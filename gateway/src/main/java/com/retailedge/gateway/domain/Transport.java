package com.retailedge.gateway.domain;

/** Where an input came from; recorded on dead letters and metrics. */
public enum Transport {
    MQTT("mqtt"),
    COAP("coap"),
    CLOUD("cloud");

    private final String wire;

    Transport(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
