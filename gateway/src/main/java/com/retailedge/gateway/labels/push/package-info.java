/**
 * Pushing label content to access points over CoAP: a lane per access point with bounded requests in flight,
 * priority, coalescing to the newest version, and retries with backoff. All outgoing endpoints come from
 * {@link com.retailedge.gateway.labels.push.ApEndpoints}.
 */
package com.retailedge.gateway.labels.push;
