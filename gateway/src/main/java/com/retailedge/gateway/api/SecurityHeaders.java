package com.retailedge.gateway.api;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every answer of the HTTP server, dashboard and API alike: the page loads its script, style and
 * stream from the gateway only and runs no inline script (so text a device sent cannot become code), no other
 * site may frame it (clickjacking of the admin's browser), and browsers take content types as given.
 */
final class SecurityHeaders {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    /** First handler of the router: the headers are added just before any answer's headers are written. */
    static void handle(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> addTo(ctx.response().headers()));
        ctx.next();
    }

    static void addTo(MultiMap headers) {
        headers.set("Content-Security-Policy", CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer");
    }
}
