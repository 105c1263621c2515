/** The gateway's device side: the in-store MQTT and CoAP adapters. */
package com.retailedge.gateway.device;
