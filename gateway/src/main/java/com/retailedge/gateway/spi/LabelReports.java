package com.retailedge.gateway.spi;

import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;

/** Where an accepted label status report changes state: the label capability's state machine. */
@FunctionalInterface
public interface LabelReports {
    /** Writer thread, inside the transaction that records the report; events carry its msgId. */
    void reported(Tx tx, DeviceMessage.LabelStatus status) throws SQLException;
}
