package com.retailedge.gateway.spi;

import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;

/**
 * A capability's reaction to an accepted device message of one channel (buttons to presses, members to
 * recognitions). Runs on the writer thread inside the transaction that records the message, once per msgId.
 */
@FunctionalInterface
public interface AcceptedEffect {
    void apply(Tx tx, DeviceMessage message) throws SQLException;
}
