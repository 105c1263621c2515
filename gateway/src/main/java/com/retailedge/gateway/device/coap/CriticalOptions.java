package com.retailedge.gateway.device.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Option;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.MessageDeliverer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7252 5.4.1: a request with a critical option the server does not understand must be answered 4.02 Bad Option,
 * not acted on, since that option might change what the request means. Californium parses such options into
 * {@code OptionSet.getOthers()} and would hand the request on; this deliverer answers it first, for every resource.
 */
final class CriticalOptions implements MessageDeliverer {
    private static final Logger LOG = LoggerFactory.getLogger(CriticalOptions.class);

    private final MessageDeliverer next;

    CriticalOptions(MessageDeliverer next) {
        this.next = next;
    }

    @Override
    public void deliverRequest(Exchange exchange) {
        Request request = exchange.getRequest();
        for (Option option : request.getOptions().getOthers()) {
            if (option.isCritical()) {
                LOG.debug(
                        "CoAP request from {} has the unknown critical option {}: 4.02",
                        request.getSourceContext().getPeerAddress(),
                        option.getNumber());
                Response response = new Response(ResponseCode.BAD_OPTION);
                response.setPayload("unknown critical option " + option.getNumber());
                response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
                exchange.sendResponse(response);
                return;
            }
        }
        next.deliverRequest(exchange);
    }

    @Override
    public void deliverResponse(Exchange exchange, Response response) {
        next.deliverResponse(exchange, response);
    }
}
