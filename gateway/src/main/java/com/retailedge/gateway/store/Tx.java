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

    /**
     * Runs after the transaction holding this work committed, on the writer thread, before the work's future
     * completes. Only for in-memory bookkeeping (a volatile field, a counter): no network I/O, no other component's
     * locks, no endpoint creation. Anything that reaches outside goes through {@link #handOff}.
     */
    void afterCommit(Runnable action);

    /**
     * Runs after the transaction holding this work committed, on the store's after-commit thread, in commit order:
     * for side effects on other components (a CoAP push, an MQTT publish, waking the forwarder). Dropped with the
     * work if it is rolled back.
     */
    void handOff(Runnable action);

    /** Runs if this work is rolled back, alone or with its whole batch: undo in-memory state it changed. */
    void onRollback(Runnable action);

    /**
     * Runs {@code work} in a nested savepoint. If it throws, its statements are rolled back, its rollback actions
     * run, and its after-commit and hand-off actions are dropped, so nothing of it shows even though the enclosing
     * work goes on and commits; then the exception is rethrown.
     */
    <T> T savepoint(WriteWork<T> work) throws Exception;
}
