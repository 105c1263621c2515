/**
 * Staff notices: a shelf button's call or a recognised member is told to the store's PDAs, kept open until one
 * acknowledges it or it expires. Buttons and members raise notices; this capability owns the {@code notice} table.
 */
package com.retailedge.gateway.notices;
