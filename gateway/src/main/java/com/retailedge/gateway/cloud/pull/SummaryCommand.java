package com.retailedge.gateway.cloud.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code summary} {@code {"commandId", "from", "to"}}: the window is fixed when the command is applied (both
 * optional as in {@code GET /api/v1/summary}: {@code to} now, {@code from} a day before {@code to}) and stored
 * as a request; {@link SummaryReporter} answers it off the writer thread with {@code retail.summary.reported}.
 */
final class SummaryCommand implements CommandHandler {
    private static final long DAY_MS = 86_400_000L;

    private final Runnable requested;

    /** {@code requested} runs after the commit that stored a request: it wakes the reporter, nothing more. */
    SummaryCommand(Runnable requested) {
        this.requested = requested;
    }

    @Override
    public String apply(Tx tx, JsonNode command) throws Rejection, SQLException {
        long now = System.currentTimeMillis();
        long toMs = command.hasNonNull("to") ? instant(command, "to") : now;
        long fromMs = command.hasNonNull("from") ? instant(command, "from") : toMs - DAY_MS;
        if (fromMs >= toMs) {
            throw new Rejection(RejectReason.BAD_COMMAND, "'from' must be before 'to'");
        }
        PreparedStatement ps =
                tx.prepare("INSERT INTO summary_request (command_id, from_ms, to_ms, asked_ms) VALUES (?, ?, ?, ?)");
        ps.setString(1, command.get("commandId").textValue());
        ps.setLong(2, fromMs);
        ps.setLong(3, toMs);
        ps.setLong(4, now);
        ps.executeUpdate();
        tx.afterCommit(requested);
        return "summary of " + Instant.ofEpochMilli(fromMs) + " .. " + Instant.ofEpochMilli(toMs) + " requested";
    }

    private static long instant(JsonNode command, String field) throws Rejection {
        JsonNode value = command.get(field);
        String problem = "'" + field + "' must be an ISO-8601 UTC time like 2026-01-31T08:00:00Z";
        if (!value.isTextual()) {
            throw new Rejection(RejectReason.BAD_COMMAND, problem);
        }
        try {
            return Instant.parse(value.textValue()).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            // ArithmeticException: a valid instant too far from 1970 for milliseconds
            throw new Rejection(RejectReason.BAD_COMMAND, problem);
        }
    }
}
