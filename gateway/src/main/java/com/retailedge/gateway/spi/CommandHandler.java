package com.retailedge.gateway.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;

/** Applies one kind of cloud command inside the writer's transaction; validates everything before writing. */
public interface CommandHandler {
    /** @return a short summary for logs and the applied-command record */
    String apply(Tx tx, JsonNode command) throws Rejection, SQLException;
}
