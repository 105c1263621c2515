package com.retailedge.gateway.api;

import com.retailedge.gateway.spi.ApiSupport;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs after {@link BearerAuth}, before any route reads a body: every API request that changes something
 * (any method but GET and HEAD) needs the admin token, and a body declared larger than any route takes is
 * refused. Both answer from the headers alone and close the connection, so the caller's body is never read:
 * a read token with 20 MB gets 403 at once, and nobody gets a worker busy buffering what will be refused.
 */
final class WriteGuard {
    /** The largest body any API route takes (the stock ledger's bulk movements). */
    static final long MAX_BODY = 1024 * 1024;

    private WriteGuard() {}

    static void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            ctx.next();
            return;
        }
        if (!"admin".equals(ctx.get(BearerAuth.ROLE))) {
            HttpErrors.closeAfterAnswer(ctx);
            ApiSupport.error(ctx, 403, "forbidden", "this needs the admin token");
            return;
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && declaredTooLarge(length)) {
            HttpErrors.tooLarge(ctx);
            return;
        }
        ctx.next();
    }

    private static boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > MAX_BODY;
        } catch (NumberFormatException e) {
            return false; // the codec refuses a malformed length itself
        }
    }
}
