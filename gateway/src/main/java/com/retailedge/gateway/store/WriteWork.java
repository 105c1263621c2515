package com.retailedge.gateway.store;

/** A unit of work for the single writer; it runs inside a savepoint of a shared transaction. */
@FunctionalInterface
public interface WriteWork<T> {
    T run(Tx tx) throws Exception;
}
