/** Picking online orders with PDAs: orders, assignment, scan checks, shorts and substitutions. */
package com.retailedge.gateway.picking;
