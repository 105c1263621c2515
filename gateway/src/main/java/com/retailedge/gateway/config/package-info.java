/**
 * The typed, immutable configuration, its keys and defaults, and the loader that applies environment
 * overrides and names the key on any error.
 */
package com.retailedge.gateway.config;
