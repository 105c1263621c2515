package com.retailedge.gateway.spi;

import java.sql.Connection;
import java.sql.SQLException;

/** One named part of {@code GET /api/v1/summary}, computed on a read connection for the window [from, to). */
public interface SummarySection {
    /** The key of this part in the summary body, such as {@code labels} or {@code orders}. */
    String name();

    /** A JSON-serialisable value (maps, lists, numbers, strings). */
    Object compute(Connection c, long fromMs, long toMs) throws SQLException;
}
