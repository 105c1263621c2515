package com.retailedge.gateway.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.domain.Gtin;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.PdaActions;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;

/**
 * PDAs as plain scanners, for stores that do not pick orders at the gateway ({@code picking.enabled: false}):
 * any GTIN with a valid check digit is accepted and becomes {@code retail.scan.accepted}; there is nothing
 * to short or substitute.
 */
final class PlainScanner implements PdaActions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageEffects effects;

    PlainScanner(MessageEffects effects) {
        this.effects = effects;
    }

    @Override
    public Answer answer(Tx tx, DeviceMessage message) throws SQLException {
        if (!(message instanceof DeviceMessage.Scan scan)) {
            return refuse(
                    message,
                    new Rejection(RejectReason.UNKNOWN_ORDER, "this store does not pick orders at the gateway"));
        }
        if (!Gtin.isValid(scan.barcode())) {
            return refuse(
                    message,
                    new Rejection(
                            RejectReason.BAD_BARCODE,
                            "barcode '" + scan.barcode()
                                    + "' is not an EAN-8, UPC-A, EAN-13 or GTIN-14 with a valid check digit"));
        }
        effects.scanned(tx, scan);
        ObjectNode reply = JSON.createObjectNode();
        reply.put("msgId", scan.msgId());
        reply.put("result", "accepted");
        reply.put("orderId", scan.orderId());
        reply.put("barcode", scan.barcode());
        reply.put("qty", scan.qty());
        // No orders here, so what is left to pick is unknown.
        reply.putNull("left");
        return new Answer(reply.toString(), null);
    }

    @Override
    public void statusChanged(Tx tx, DeviceMessage.PdaStatus status) {
        // nothing is assigned to plain scanners
    }

    private static Answer refuse(DeviceMessage message, Rejection rejection) {
        return new Answer(DeviceIngest.rejectedReply(message.msgId(), rejection), rejection);
    }
}
