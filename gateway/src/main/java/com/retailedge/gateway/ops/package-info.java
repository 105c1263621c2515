/** The gateway's state as health, metrics and dashboard see it. */
package com.retailedge.gateway.ops;
