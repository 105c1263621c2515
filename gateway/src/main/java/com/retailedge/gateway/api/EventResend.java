package com.retailedge.gateway.api;

import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import com.retailedge.gateway.store.ReadPool;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * {@code POST /api/v1/events/resend?from={sequence}} (admin token): the cloud forwarder sends every stored
 * event from that sequence (or the oldest still stored, if it was pruned) on again, in order. For a cloud
 * that lost data on its side; it de-duplicates on the events' {@code id}, which never changes.
 */
public final class EventResend implements ApiRoutes {
    private final LongUnaryOperator resendFrom;
    private final Outbox outbox;
    private final ReadPool reads;

    /** {@code resendFrom} rewinds the forwarder and returns the sequence it restarts at. */
    public EventResend(LongUnaryOperator resendFrom, Outbox outbox, ReadPool reads) {
        this.resendFrom = resendFrom;
        this.outbox = outbox;
        this.reads = reads;
    }

    @Override
    public void mount(Router router, ApiSupport support) {
        router.post("/api/v1/events/resend").handler(this::resend);
    }

    private void resend(RoutingContext ctx) {
        if (!ApiSupport.requireAdminRole(ctx)) {
            return;
        }
        String text = ctx.request().getParam("from");
        long from;
        try {
            from = Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            from = -1;
        }
        if (from < 1) {
            ApiSupport.error(ctx, 400, "bad-parameter", "from must be a sequence number >= 1");
            return;
        }
        long last = outbox.lastSequence();
        if (from > last) {
            ApiSupport.error(
                    ctx,
                    400,
                    "bad-parameter",
                    "no event stored at or after sequence " + from + "; the last is " + last);
            return;
        }
        long asked = from;
        ctx.vertx()
                .executeBlocking(
                        () -> {
                            // Pruned events cannot be sent again; the forwarder must start at one that is stored.
                            long oldest = reads.read(c -> {
                                try (Statement s = c.createStatement();
                                        ResultSet rs = s.executeQuery("SELECT MIN(seq) FROM outbox")) {
                                    return rs.next() ? rs.getLong(1) : 0L;
                                }
                            });
                            Map<String, Object> body = new LinkedHashMap<>();
                            body.put("resendFrom", resendFrom.applyAsLong(Math.max(asked, oldest)));
                            body.put("lastSequence", last);
                            return body;
                        },
                        false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ApiSupport.error(ctx, 503, "unavailable", "the store could not answer; retry");
                    } else {
                        ApiSupport.json(ctx, 202, ar.result());
                    }
                });
    }
}
