package com.retailedge.gateway.spi;

import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;

/**
 * Decides what a PDA's scan, short or substitution means, inside the writer's transaction that records it,
 * and answers it. Implemented by the picking capability; without it a PDA is a plain scanner.
 */
public interface PdaActions {
    /** The decision on one PDA action: {@code rejection} is null when it was accepted. */
    record Answer(String reply, Rejection rejection) {}

    /** Applies an accepted action's effects (picks, stock, events) or refuses it; runs on the writer thread. */
    Answer answer(Tx tx, DeviceMessage message) throws SQLException;

    /** A PDA reported its state; picking may hand an idle PDA its pick list. */
    void statusChanged(Tx tx, DeviceMessage.PdaStatus status) throws SQLException;
}
