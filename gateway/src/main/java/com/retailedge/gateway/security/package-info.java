/**
 * Device authentication and the secrets around it: password hashes in Mosquitto's {@code $7$} format, the device
 * credentials and PSK files, the MQTT ACL and CoAP identity rules, private file checks, and the cloud link's
 * TLS material from PEM files.
 */
package com.retailedge.gateway.security;
