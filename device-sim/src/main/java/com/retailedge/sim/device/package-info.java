/**
 * Simulated store devices: one simulator per device kind, the EAN-13 barcode generator, and the
 * message factory that turns a device's next action into a payload (valid or deliberately bad).
 * Nothing here knows about MQTT or CoAP; the transports decide how a {@link
 * com.retailedge.sim.device.SimMessage} travels.
 */
package com.retailedge.sim.device;
