/**
 * SQLite: the database file and migrations, the single writer with group commit, read connections, the
 * device registry, dead letters and housekeeping.
 */
package com.retailedge.gateway.store;
