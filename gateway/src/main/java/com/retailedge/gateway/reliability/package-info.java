/** Keeping the store working through damage: a corrupt database file is set aside and what it holds recovered. */
package com.retailedge.gateway.reliability;
