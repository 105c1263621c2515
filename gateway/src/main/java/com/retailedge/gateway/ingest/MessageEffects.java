package com.retailedge.gateway.ingest;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.AcceptedEffect;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.LabelReports;
import com.retailedge.gateway.spi.PdaActions;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an accepted device message changes in the store's state and which cloud events it causes. Runs on
 * the writer thread, inside the transaction that records the message.
 */
final class MessageEffects {
    private final Outbox outbox;
    private final DeviceRegistry registry;
    /** The capabilities' effects, by channel. */
    private final Map<Channel, List<AcceptedEffect>> added;
    /** Picking's rules, or a plain scanner's when no capability picks. */
    final PdaActions pdaActions;
    /** The label capability's state machine. */
    private final LabelReports labelReports;

    MessageEffects(Outbox outbox, DeviceRegistry registry, Capabilities capabilities) {
        this.outbox = outbox;
        this.registry = registry;
        this.added = capabilities.effects();
        // The plain scanner keeps this to record the scans it accepts; it does nothing with it before a message.
        this.pdaActions = capabilities.pdaActions().orElseGet(() -> new PlainScanner(this));
        this.labelReports = capabilities.labelReports().orElse((tx, status) -> {
            throw new IllegalStateException("no capability takes label status reports");
        });
    }

    void apply(Tx tx, DeviceMessage message) throws SQLException {
        // Presses, recognitions and PDA acks are the buttons and members capabilities' (added effects).
        if (message instanceof DeviceMessage.Scan scan) {
            scanned(tx, scan);
        } else if (message instanceof DeviceMessage.LabelStatus status) {
            labelReports.reported(tx, status);
        } else if (message instanceof DeviceMessage.PdaStatus status) {
            pdaReported(tx, status);
        }
        for (AcceptedEffect effect : added.getOrDefault(message.channel(), List.of())) {
            effect.apply(tx, message);
        }
    }

    void scanned(Tx tx, DeviceMessage.Scan scan) throws SQLException {
        Map<String, Object> data = traced(scan);
        data.put("pdaId", scan.deviceId());
        data.put("orderId", scan.orderId());
        data.put("barcode", scan.barcode());
        data.put("qty", scan.qty());
        String sku = skuOfGtin(tx, scan.barcode());
        if (sku != null) {
            data.put("sku", sku);
        }
        outbox.append(tx, EventTypes.SCAN_ACCEPTED, scan.deviceId(), data);
    }

    private void pdaReported(Tx tx, DeviceMessage.PdaStatus status) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO pda_state (pda_id, state, updated_ms) VALUES (?, ?, ?) "
                + "ON CONFLICT (pda_id) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms");
        ps.setString(1, status.deviceId());
        ps.setString(2, status.state());
        ps.setLong(3, System.currentTimeMillis());
        ps.executeUpdate();
        pdaActions.statusChanged(tx, status);
    }

    private static String skuOfGtin(Tx tx, String gtin) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT sku FROM catalog_gtin WHERE gtin = ?");
        ps.setString(1, gtin);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Every event caused by a device carries its msgId, so the cloud can trace it back (CONTRACT §4). */
    private static Map<String, Object> traced(DeviceMessage message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msgId", message.msgId());
        return data;
    }
}
