package com.retailedge.gateway.store;

import java.sql.Connection;

/** What a unit of work sees inside the writer's transaction. Used only on the writer thread. */
public interface Tx {
    Connection connection();

    /**
     * A prepared statement for {@code sql}, cached for the writer's connection: preparing costs more than
     * running the small statements of a device message. Do not close it; close its result sets.
     */
    java.sql.PreparedStatement prepare(String sql) throws java.sql.SQLException;

    /** Runs after the transaction holding this work committed (on the writer thread; keep it short). */
    void afterCommit(Runnable action);

    /** Runs if this work is rolled back, alone or with its whole batch: undo in-memory state it changed. */
    void onRollback(Runnable action);
}
