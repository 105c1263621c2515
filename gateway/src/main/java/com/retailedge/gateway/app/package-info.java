/** The composition root: builds the gateway's parts, starts them in dependency order and stops them in reverse. */
package com.retailedge.gateway.app;
