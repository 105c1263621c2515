/**
 * Electronic shelf labels: what each label should show (rendered from the catalog, promotions, member prices and
 * pick-to-light), the state machine pending / current / failed, scheduled prices, health flags, REST and summary.
 * Delivery to the access points is in {@code labels.push}.
 */
package com.retailedge.gateway.labels;
