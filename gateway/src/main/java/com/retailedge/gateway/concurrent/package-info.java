/** What every part uses to run work of its own: named daemon threads. Depends on nothing of the gateway. */
package com.retailedge.gateway.concurrent;
