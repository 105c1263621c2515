package com.retailedge.gateway.picking;

/** An online order's header as stored: its state, picker and progress. */
record Order(String orderId, String state, long dueMs, String pdaId, Long assignedMs, int linesOpen, boolean late) {
    static final String WAITING = "waiting";
    static final String PICKING = "picking";
    static final String PICKED = "picked";
    /** Cancelled by an admin: kept, never assigned or picked again. */
    static final String CANCELLED = "cancelled";
}
