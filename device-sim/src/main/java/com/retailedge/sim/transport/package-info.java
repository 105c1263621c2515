/**
 * The device-side and cloud-side wires: a pool of Paho MQTT connections with reconnect, a
 * Californium CoAP poster, the MQTT connection settings (TLS included) and the send pacer.
 */
package com.retailedge.sim.transport;
