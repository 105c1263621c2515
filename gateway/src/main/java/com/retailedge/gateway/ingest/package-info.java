/** The one path every device message takes, whatever its transport: decode, validate, make durable, apply its effects. */
package com.retailedge.gateway.ingest;
