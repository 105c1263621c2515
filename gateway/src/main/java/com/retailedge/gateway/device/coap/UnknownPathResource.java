package com.retailedge.gateway.device.coap;

import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.ingest.DeviceIngest;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * Any path the contract does not define. A device POSTing there is told {@code 4.04} and its payload is kept
 * as a dead letter with reason {@code unknown-topic}, like every other bad input (CONTRACT §3).
 */
final class UnknownPathResource extends CoapResource {
    private final DeviceIngest ingest;

    UnknownPathResource(Resource parent, String name, DeviceIngest ingest) {
        super(name, false);
        this.ingest = ingest;
        setParent(parent);
        setPath(parent.getPath() + parent.getName() + "/");
    }

    @Override
    public Resource getChild(String name) {
        return new UnknownPathResource(this, name, ingest);
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        String path = "/" + exchange.getRequestOptions().getUriPathString();
        ingest.rejectUnaddressed(
                        Transport.COAP,
                        path,
                        new Rejection(RejectReason.UNKNOWN_TOPIC, "no resource " + path),
                        exchange.getRequestPayload())
                .whenComplete((result, failure) -> MessageResource.answer(exchange, result, failure));
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        exchange.respond(ResponseCode.NOT_FOUND);
    }
}
