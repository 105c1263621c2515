/** The durable queue of CloudEvents for the cloud, numbered in the transaction that stores their cause. */
package com.retailedge.gateway.outbox;
