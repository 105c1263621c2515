/** The gateway's device side: in-store MQTT and CoAP adapters, and sending to devices. */
package com.retailedge.gateway.device;
