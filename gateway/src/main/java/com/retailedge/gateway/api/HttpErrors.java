package com.retailedge.gateway.api;

import com.retailedge.gateway.spi.ApiSupport;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the HTTP server answers has the API's shape {@code {"error", "message"}}, also those no route
 * produced: requests Vert.x cannot parse (414 line too long, 431 headers too large, 400), paths nothing serves
 * (404), methods a path does not take (405), bodies over a route's limit (413) and handler failures (500).
 */
final class HttpErrors {
    /** The URI with its query, at most; longer ones get 414 from {@link #refuseLongUri}. */
    static final int MAX_URI = 4096;
    /** The decoder's own limit on the request line, a backstop above {@link #MAX_URI}; also answered 414. */
    static final int MAX_INITIAL_LINE = 4 * MAX_URI;
    /** All request headers together, at most; more get 431. */
    static final int MAX_HEADER_SIZE = 8192;

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {}

    /** For {@code HttpServer.invalidRequestHandler}: a request the decoder refused; the connection is closed after. */
    static void invalidRequest(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status;
        String code;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            code = "uri-too-long";
            message = "the request URI is longer than " + MAX_URI + " characters";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            code = "headers-too-large";
            message = "the request headers are larger than " + MAX_HEADER_SIZE + " bytes";
        } else {
            status = 400;
            code = "bad-request";
            message = "the request is not valid HTTP/1.1";
        }
        LOG.debug(
                "invalid HTTP request from {}: {}", request.remoteAddress(), cause == null ? "?" : cause.getMessage());
        HttpServerResponse response = request.response();
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close");
        SecurityHeaders.addTo(response.headers());
        response.end(ApiSupport.errorBody(code, message))
                .onComplete(ar -> request.connection().close());
    }

    /** Answers 414 and returns true for a URI over {@link #MAX_URI}; before routing, so no handler sees it. */
    static boolean refuseLongUri(HttpServerRequest request) {
        if (request.uri().length() <= MAX_URI) {
            return false;
        }
        HttpServerResponse response = request.response();
        response.setStatusCode(414).putHeader("Content-Type", "application/json");
        SecurityHeaders.addTo(response.headers());
        response.end(ApiSupport.errorBody("uri-too-long", "the request URI is longer than " + MAX_URI + " characters"));
        return true;
    }

    /** Router-level answers for what no route handled, in the API's error shape. */
    static void install(Router router) {
        router.errorHandler(404, ctx -> answer(ctx, 404, "not-found", "nothing is served at this path"));
        router.errorHandler(
                405,
                ctx -> answer(ctx, 405, "method-not-allowed", ctx.request().method() + " is not allowed on this path"));
        router.errorHandler(413, ctx -> tooLarge(ctx));
        router.errorHandler(400, ctx -> answer(ctx, 400, "bad-request", "the request could not be read"));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                LOG.warn("{} failed", ctx.request().path(), ctx.failure());
            }
            answer(ctx, 500, "internal", "the gateway failed to answer; see its log");
        });
    }

    /** A failure handler: answers a failed route with its status (413 from a body limit, 500 otherwise). */
    static void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            tooLarge(ctx);
        } else if (status == 400) {
            answer(ctx, 400, "bad-request", "the request body could not be read");
        } else if (status >= 400 && status < 500) {
            answer(ctx, status, "refused", "the request was refused");
        } else {
            LOG.warn("{} failed", ctx.request().path(), ctx.failure());
            answer(ctx, 500, "internal", "the gateway failed to answer; see its log");
        }
    }

    /** 413, and the connection closed: the rest of the body is not worth reading. */
    static void tooLarge(RoutingContext ctx) {
        closeAfterAnswer(ctx);
        answer(ctx, 413, "too-large", "the request body is larger than this path accepts");
    }

    /**
     * For answers given before a body that will not be read: the answer says {@code Connection: close} and the
     * connection is closed once it is out. Said whether or not the body has arrived meanwhile, so that a client
     * never pools a connection the gateway is about to close (its next request there would meet a closed socket).
     */
    static void closeAfterAnswer(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader("Content-Length");
        boolean body = request.getHeader("Transfer-Encoding") != null
                || length != null && !length.trim().equals("0");
        if (!body) {
            return;
        }
        ctx.response().putHeader("Connection", "close");
        ctx.response().endHandler(v -> request.connection().close());
    }

    private static void answer(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().end();
            return;
        }
        ApiSupport.json(ctx, status, Map.of("error", code, "message", message));
    }
}
