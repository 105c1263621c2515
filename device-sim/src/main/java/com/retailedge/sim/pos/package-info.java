/** Checkout lanes: daily demand by profile, sales as baskets, offline bursts with past times. */
package com.retailedge.sim.pos;
