package com.retailedge.gateway.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One part of the store dashboard's snapshot, computed on a read connection once a second while a page is
 * open. Like the rest of the dashboard it is served without a token: aggregate and operational data only,
 * never member data or what a device sent. A capability adds its own with {@link Capability.Builder#panel}.
 */
public interface DashboardPanel {
    /** The key of this part in the snapshot, such as {@code stock}; the page renders the ones it knows. */
    String name();

    /** A JSON-serialisable value (maps, lists, numbers, strings); times as ISO-8601 instants. */
    Object compute(Connection c, StoreDay day) throws SQLException;
}
