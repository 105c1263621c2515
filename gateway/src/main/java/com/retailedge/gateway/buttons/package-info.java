/**
 * Dash-style buttons: debounced presses, reorders held for a cancel window (kept in SQLite so the window
 * survives a restart), and staff notices on the PDAs that stay open until a PDA acknowledges them.
 */
package com.retailedge.gateway.buttons;
