/** Run statistics: message counters, latency histograms and the log of acknowledged msgIds. */
package com.retailedge.sim.stats;
