package com.retailedge.gateway.cloud.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * {@code resend} {@code {"commandId", "fromSequence"}}: every stored event from that sequence on goes up again,
 * in order, through the same rewind as {@code POST /api/v1/events/resend}. A sequence older than the oldest
 * stored event (pruned after the cloud took it) starts at the oldest; one after the last stored event is refused.
 * The rewind itself runs after the commit on another thread: it takes the forwarder's lock, which the writer
 * must never wait for.
 */
final class ResendCommand implements CommandHandler {
    private final Outbox outbox;
    private final Executor executor;
    private final LongConsumer rewind;

    /** {@code rewind} is the forwarder's {@code resendFrom}. */
    ResendCommand(Outbox outbox, Executor executor, LongConsumer rewind) {
        this.outbox = outbox;
        this.executor = executor;
        this.rewind = rewind;
    }

    @Override
    public String apply(Tx tx, JsonNode command) throws Rejection, SQLException {
        JsonNode value = command.get("fromSequence");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
            throw new Rejection(RejectReason.BAD_COMMAND, "'fromSequence' must be a whole number >= 1");
        }
        long from = value.longValue();
        long last = outbox.lastSequence();
        if (from > last) {
            throw new Rejection(
                    RejectReason.BAD_COMMAND, "no event stored at or after sequence " + from + "; the last is " + last);
        }
        long start = Math.max(from, oldestStored(tx));
        tx.afterCommit(() -> executor.execute(() -> rewind.accept(start)));
        return "re-send from sequence " + start + " (asked " + from + ", last " + last + ")";
    }

    private static long oldestStored(Tx tx) throws SQLException {
        try (ResultSet rs = tx.prepare("SELECT MIN(seq) FROM outbox").executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }
}
