/** In-store CoAP: the Californium server and its resources. */
package com.retailedge.gateway.device.coap;
