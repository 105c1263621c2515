package com.retailedge.gateway.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.Gtin;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static com.retailedge.gateway.cloud.CommandFields.array;
import static com.retailedge.gateway.cloud.CommandFields.bad;
import static com.retailedge.gateway.cloud.CommandFields.text;

/** {@code prices}: upserts catalog items (name, price, currency) and the GTINs that identify them. */
final class PricesCommand implements CommandHandler {
    private static final Pattern PRICE = Pattern.compile("\\d{1,9}(\\.\\d{1,4})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private record Price(String sku, String name, String price, String currency, List<String> gtins) {}

    @Override
    public String apply(Tx tx, JsonNode command) throws Rejection, SQLException {
        List<Price> prices = new ArrayList<>();
        JsonNode list = array(command, "prices");
        for (int i = 0; i < list.size(); i++) {
            prices.add(read(list.get(i), "prices[" + i + "]"));
        }
        long now = System.currentTimeMillis();
        for (Price p : prices) {
            PreparedStatement ps = tx.prepare(
                    "INSERT INTO catalog_item (sku, name, price, currency, updated_ms) VALUES (?, ?, ?, ?, ?) "
                            + "ON CONFLICT (sku) DO UPDATE SET name = excluded.name, price = excluded.price, "
                            + "currency = excluded.currency, updated_ms = excluded.updated_ms");
            ps.setString(1, p.sku());
            ps.setString(2, p.name());
            ps.setString(3, p.price());
            ps.setString(4, p.currency());
            ps.setLong(5, now);
            ps.executeUpdate();
            if (p.gtins() != null) {
                replaceGtins(tx, p);
            }
        }
        return prices.size() + " prices";
    }

    private static void replaceGtins(Tx tx, Price p) throws SQLException {
        PreparedStatement delete = tx.prepare("DELETE FROM catalog_gtin WHERE sku = ?");
        delete.setString(1, p.sku());
        delete.executeUpdate();
        // One statement per GTIN, not a JDBC batch: the statement is shared and a batch would outlive a failure.
        PreparedStatement insert = tx.prepare(
                "INSERT INTO catalog_gtin (gtin, sku) VALUES (?, ?) ON CONFLICT (gtin) DO UPDATE SET sku = excluded.sku");
        for (String gtin : p.gtins()) {
            insert.setString(1, gtin);
            insert.setString(2, p.sku());
            insert.executeUpdate();
        }
    }

    private static Price read(JsonNode entry, String where) throws Rejection {
        if (!entry.isObject()) {
            throw bad(where + " must be an object");
        }
        String price = text(entry, "price", where);
        if (!PRICE.matcher(price).matches()) {
            throw bad(where + ": price '" + price + "' must be a decimal string like 1.99");
        }
        String currency = text(entry, "currency", where);
        if (!CURRENCY.matcher(currency).matches()) {
            throw bad(where + ": currency '" + currency + "' must be an ISO 4217 code like EUR");
        }
        List<String> gtins = null;
        if (entry.has("gtins")) {
            gtins = new ArrayList<>();
            JsonNode list = array(entry, "gtins");
            for (JsonNode g : list) {
                if (!g.isTextual() || !Gtin.isValid(g.textValue())) {
                    throw bad(where + ": gtin " + g + " is not a GTIN with a valid check digit");
                }
                gtins.add(g.textValue());
            }
        }
        return new Price(text(entry, "sku", where), text(entry, "name", where), price, currency, gtins);
    }
}
