/** Pickers with PDAs: log in, take pick lists from the gateway, scan with mistakes, measure scan-to-reply. */
package com.retailedge.sim.picking;
