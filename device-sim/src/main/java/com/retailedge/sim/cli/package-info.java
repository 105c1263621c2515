/**
 * The command line: {@code devices} drives simulated devices against a gateway, {@code cloud}
 * verifies what reaches the cloud broker, {@code bench} measures device-to-cloud latency and
 * throughput. Commands wire the device, transport, cloud and stats packages together.
 */
package com.retailedge.sim.cli;
