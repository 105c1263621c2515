package com.retailedge.sim.transport;

/** How a single send ended, in transport-neutral terms. */
public enum Outcome {
    /** MQTT PUBACK received, or CoAP 2.04 Changed. */
    ACKED,
    /** CoAP 4.xx: the gateway refused the message and said why. */
    REJECTED,
    /** Not connected, timed out, or another transport error: the gateway never confirmed it. */
    FAILED
}
