package com.retailedge.gateway.api;

import com.retailedge.gateway.outbox.Outbox;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * {@code POST /api/v1/events/resend?from={sequence}} (admin token): the cloud forwarder sends every stored
 * event from that sequence on again, in order. For a cloud that lost data on its side; it de-duplicates on
 * the events' {@code id}, which never changes.
 */
public final class EventResend implements ApiRoutes {
    private final LongUnaryOperator resendFrom;
    private final Outbox outbox;

    /** {@code resendFrom} rewinds the forwarder and returns the sequence it restarts at. */
    public EventResend(LongUnaryOperator resendFrom, Outbox outbox) {
        this.resendFrom = resendFrom;
        this.outbox = outbox;
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
            ApiSupport.error(ctx, 400, "bad-parameter", "no event stored at or after sequence " + from
                    + "; the last is " + last);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resendFrom", resendFrom.applyAsLong(from));
        body.put("lastSequence", last);
        ApiSupport.json(ctx, 202, body);
    }
}
