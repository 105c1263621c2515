package com.retailedge.gateway.buttons;

import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.util.Map;

/**
 * Turns a button's reorder into {@code retail.replenishment.requested}: the replenishment planner, so the event
 * carries the SKU's plan and the order counts as on order until it is received. Writer thread.
 */
@FunctionalInterface
public interface ReorderRequests {
    /** {@code data} holds the reorder's own fields; the requester adds the SKU's plan and appends the event. */
    void request(Tx tx, String sku, long qty, String buttonId, Map<String, Object> data) throws SQLException;
}
