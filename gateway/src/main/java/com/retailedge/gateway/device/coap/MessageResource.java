package com.retailedge.gateway.device.coap;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.ingest.IngestResult;
import com.retailedge.gateway.security.DeviceAccess;
import com.retailedge.gateway.security.DtlsEndpoints;
import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code POST /{kind}/{id}/{leaf}}: hands the payload to {@link DeviceIngest} and answers once it is durable.
 * A leaf the contract does not define is kept as a dead letter and answered 4.04.
 */
final class MessageResource extends CoapResource {
    private final Channel channel;
    private final String deviceId;
    private final DeviceIngest ingest;
    private final DeviceAccess access;

    MessageResource(
            Resource parent, String leaf, Channel channel, String deviceId, DeviceIngest ingest, DeviceAccess access) {
        super(leaf, true);
        this.access = access;
        this.channel = channel;
        this.deviceId = deviceId;
        this.ingest = ingest;
        setParent(parent);
        setPath(parent.getPath() + parent.getName() + "/");
        if (channel != null) {
            getAttributes().addResourceType("retail." + channel.segment() + "." + channel.leaf());
            getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
        }
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        byte[] payload = exchange.getRequestPayload();
        String path = "/" + getPath().substring(1) + getName();
        String identity = DtlsEndpoints.pskIdentity(
                exchange.advanced().getRequest().getSourceContext().getPeerIdentity());
        if (channel != null && identity != null && !access.mayActFor(identity, new DeviceAddress(channel, deviceId))) {
            // Over DTLS a device posts only as itself (or, for an access point, as its labels).
            ingest.rejectUnaddressed(
                            Transport.COAP,
                            path,
                            new Rejection(
                                    RejectReason.FORBIDDEN, "DTLS identity '" + identity + "' may not post to " + path),
                            payload)
                    .whenComplete((result, failure) -> answer(exchange, result, failure));
            return;
        }
        CompletableFuture<IngestResult> durable = channel == null
                ? ingest.rejectUnaddressed(
                        Transport.COAP, path, new Rejection(RejectReason.UNKNOWN_TOPIC, "no resource " + path), payload)
                : ingest.submit(Transport.COAP, path, new DeviceAddress(channel, deviceId), payload);
        durable.whenComplete((result, failure) -> answer(exchange, result, failure));
    }

    /** Answers a device once its message is durable: 2.04, the rejection as 4.xx/5.03 text, or 5.03. */
    static void answer(CoapExchange exchange, IngestResult result, Throwable failure) {
        if (failure != null) {
            exchange.setMaxAge(5);
            exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "the gateway cannot store messages right now; retry");
            return;
        }
        if (!result.isRejected()) {
            exchange.respond(ResponseCode.CHANGED);
            return;
        }
        Rejection rejection = result.rejection();
        ResponseCode code = switch (rejection.reason()) {
            case TOO_LARGE -> ResponseCode.REQUEST_ENTITY_TOO_LARGE;
            case UNKNOWN_TOPIC -> ResponseCode.NOT_FOUND;
            case OUTBOX_FULL -> ResponseCode.SERVICE_UNAVAILABLE;
            case FORBIDDEN -> ResponseCode.FORBIDDEN;
            default -> ResponseCode.BAD_REQUEST;
        };
        if (code == ResponseCode.SERVICE_UNAVAILABLE) {
            exchange.setMaxAge(30);
        }
        exchange.respond(code, rejection.reason().code() + ": " + rejection.detail(), MediaTypeRegistry.TEXT_PLAIN);
    }
}
