package com.retailedge.gateway.api;

import com.retailedge.gateway.spi.ApiSupport;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code Authorization: Bearer <token>} for {@code /api/*}. Tokens are compared in constant time; a missing
 * or wrong token gets 401 with a JSON error and nothing else, and counts against the client's address
 * ({@link AuthFailures}): an address over its failures gets 429 before its token is looked at. The role found
 * is put on the context.
 */
final class BearerAuth implements Handler<RoutingContext> {
    static final String ROLE = ApiSupport.ROLE;

    private final byte[] readToken;
    private final byte[] adminToken;
    private final AuthFailures failures;

    BearerAuth(String readToken, String adminToken, AuthFailures failures) {
        this.readToken = readToken.getBytes(StandardCharsets.UTF_8);
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.failures = failures;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String address = ctx.request().remoteAddress() == null
                ? "?"
                : ctx.request().remoteAddress().hostAddress();
        long blockedNanos = failures.blockedFor(address);
        if (blockedNanos > 0) {
            long seconds = Math.max(1, (blockedNanos + 999_999_999L) / 1_000_000_000L);
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            HttpErrors.closeAfterAnswer(ctx);
            ApiSupport.error(
                    ctx,
                    429,
                    "rate-limited",
                    "too many failed token checks from this address; retry in " + seconds + " s");
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            // Check both so the time taken does not tell which one nearly matched.
            boolean admin = MessageDigest.isEqual(presented, adminToken);
            boolean read = MessageDigest.isEqual(presented, readToken);
            if (admin || read) {
                ctx.put(ROLE, admin ? "admin" : "cloud");
                ctx.next();
                return;
            }
        }
        failures.failed(address);
        HttpErrors.closeAfterAnswer(ctx);
        ctx.response()
                .setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer")
                .putHeader("Content-Type", "application/json")
                .end("{\"error\":\"unauthorized\",\"message\":\"a valid bearer token is required\"}");
    }
}
