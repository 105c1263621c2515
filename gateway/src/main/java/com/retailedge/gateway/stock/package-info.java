/** The store's stock ledger: every movement a row, a running balance per SKU, replenishment requests. */
package com.retailedge.gateway.stock;
