/**
 * What a capability plugs into, and nothing else: the hooks on accepted device messages and PDA actions, cloud
 * command handlers, HTTP routes, summary sections, dashboard panels, housekeeping prunes and the ports to the
 * devices. The adapters ({@code ingest}, {@code cloud}, {@code api}) call these; the capabilities implement them.
 * This package depends only on {@code domain} and {@code store}.
 */
package com.retailedge.gateway.spi;
