package com.retailedge.gateway.sales;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.barcode.BadBarcodeException;
import com.retailedge.gateway.barcode.Barcode;
import com.retailedge.gateway.barcode.Gs1Barcodes;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.AcceptedEffect;
import com.retailedge.gateway.stock.StockLedger;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.Tx;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkout lane's sale (CONTRACT §4), in the transaction that records the message, so a repeated msgId
 * counts once: each line is resolved to a SKU (through the catalog's GTINs, variable-measure codes by their
 * item number, or named by SKU), booked out of stock at the sale's own time ({@code retail.stock.changed},
 * kind {@code sale}), and the sale goes up as {@code retail.sale.recorded}. A line whose barcode is bad or
 * unknown is a dead letter with its reason; the rest of the sale still counts.
 */
public final class SaleRecorder implements AcceptedEffect {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String storeId;
    private final Outbox outbox;
    private final StockLedger ledger;
    private final DeadLetters deadLetters;

    public SaleRecorder(String storeId, Outbox outbox, StockLedger ledger, DeadLetters deadLetters) {
        this.storeId = storeId;
        this.outbox = outbox;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
    }

    @Override
    public void apply(Tx tx, DeviceMessage message) throws SQLException {
        DeviceMessage.Sale sale = (DeviceMessage.Sale) message;
        long atMs = sale.at() == null ? System.currentTimeMillis() : sale.at().toEpochMilli();
        List<Map<String, Object>> counted = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < sale.lines().size(); i++) {
            DeviceMessage.SaleLine line = sale.lines().get(i);
            String sku;
            try {
                sku = line.sku() != null ? line.sku() : resolve(tx, line.barcode());
            } catch (Rejection r) {
                refuse(tx, sale, i, line, r);
                refused++;
                continue;
            }
            ledger.move(
                    tx,
                    sku,
                    -line.qty(),
                    StockLedger.Kind.SALE,
                    new StockLedger.Cause(sale.deviceId(), sale.msgId(), sale.deviceId()),
                    atMs);
            Map<String, Object> booked = new LinkedHashMap<>();
            booked.put("sku", sku);
            booked.put("qty", line.qty());
            if (line.barcode() != null) {
                booked.put("barcode", line.barcode());
            }
            counted.add(booked);
        }
        if (counted.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msgId", sale.msgId());
        data.put("laneId", sale.deviceId());
        data.put("at", java.time.Instant.ofEpochMilli(atMs).toString());
        data.put("lines", counted);
        if (refused > 0) {
            data.put("refusedLines", refused);
        }
        outbox.append(tx, EventTypes.SALE_RECORDED, sale.deviceId(), data);
    }

    /** The SKU the catalog lists for a barcode, under any of the GTIN's forms. */
    private static String resolve(Tx tx, String text) throws Rejection, SQLException {
        Barcode barcode;
        try {
            barcode = Gs1Barcodes.parse(text);
        } catch (BadBarcodeException e) {
            throw new Rejection(RejectReason.BAD_BARCODE, e.getMessage());
        }
        List<String> keys = barcode.lookupKeys();
        PreparedStatement ps = tx.prepare("SELECT sku FROM catalog_gtin WHERE gtin IN (?, ?, ?, ?) LIMIT 1");
        for (int i = 0; i < 4; i++) {
            ps.setString(i + 1, keys.get(Math.min(i, keys.size() - 1)));
        }
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return rs.getString(1);
            }
        }
        throw new Rejection(
                RejectReason.UNKNOWN_BARCODE,
                "barcode '" + text + "' (GTIN " + barcode.gtin() + ") is not in the catalog");
    }

    private void refuse(Tx tx, DeviceMessage.Sale sale, int index, DeviceMessage.SaleLine line, Rejection r)
            throws SQLException {
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("msgId", sale.msgId());
        kept.put("line", index);
        kept.put("barcode", line.barcode());
        kept.put("qty", line.qty());
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(kept);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            payload = String.valueOf(kept).getBytes(StandardCharsets.UTF_8);
        }
        deadLetters.record(
                tx,
                "mqtt",
                "store/" + storeId + "/pos/" + sale.deviceId() + "/sale",
                sale.deviceId(),
                new Rejection(r.reason(), "line " + index + ": " + r.detail()),
                payload);
    }
}
