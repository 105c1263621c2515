package com.retailedge.gateway.stock;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;

/** The cloud's {@code stock} command (an extension of CONTRACT §4): receiving, sales, counts, thresholds. */
public final class StockCommand implements CommandHandler {
    private final StockLedger ledger;

    public StockCommand(StockLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String apply(Tx tx, JsonNode command) throws Rejection, SQLException {
        StockMovements movements = StockMovements.parse(command, RejectReason.BAD_COMMAND);
        return movements.apply(tx, ledger, command.get("commandId").textValue());
    }
}
