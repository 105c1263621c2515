/** In-store MQTT: the embedded broker, the durable-ack gate in front of it, and the gateway's own client. */
package com.retailedge.gateway.device.mqtt;
