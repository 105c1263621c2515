package com.retailedge.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A few read-only connections shared by API queries; WAL lets them read while the writer commits. */
public final class ReadPool implements AutoCloseable {
    /** A query that runs on a borrowed connection. */
    @FunctionalInterface
    public interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private final BlockingQueue<Connection> idle;

    public ReadPool(Database database, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            idle.add(database.openReadConnection());
        }
    }

    public <T> T read(Query<T> query) throws SQLException {
        Connection c;
        try {
            c = idle.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a read connection");
        }
        if (c == null) {
            throw new SQLException("no read connection free within 10s");
        }
        try {
            return query.run(c);
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
