/**
 * The cloud's pull over the MQTT link the gateway already holds (CONTRACT §4): the {@code summary} and
 * {@code resend} commands and the periodic {@code retail.gateway.heartbeat}, for a box behind a shop's NAT whose
 * REST API the cloud cannot reach.
 */
package com.retailedge.gateway.cloud.pull;
