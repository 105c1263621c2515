package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.ApiException;
import com.retailedge.gateway.store.SqliteWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A store manager's local price change ({@code PUT /api/v1/prices/{sku}}, admin token): the same fields as a
 * cloud {@code prices} entry, applied through the writer and re-rendering the SKU's labels. {@code name} and
 * {@code currency} may be left out for a SKU the catalog already holds.
 */
final class LocalPrices {
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final SqliteWriter writer;
    private final LabelBook book;

    LocalPrices(SqliteWriter writer, LabelBook book) {
        this.writer = writer;
        this.book = book;
    }

    /** Blocking: waits for the commit. Answers {@code {"sku","price","labelsChanged"}}. */
    Map<String, Object> change(String sku, JsonNode body) throws Exception {
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "bad-body", "the body must be a JSON object with at least 'price'");
        }
        String price;
        PriceFields fields;
        try {
            price = PriceFields.price(body.get("price"), "price");
            fields = PriceFields.read(body, "body");
        } catch (Rejection r) {
            throw new ApiException(400, "bad-body", r.detail());
        }
        String name = text(body, "name");
        String currency = text(body, "currency");
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            throw new ApiException(400, "bad-body", "currency must be an ISO 4217 code like EUR");
        }
        try {
            int changed = writer.submit(tx -> {
                        long now = System.currentTimeMillis();
                        PreparedStatement exists = tx.prepare("SELECT 1 FROM catalog_item WHERE sku = ?");
                        exists.setString(1, sku);
                        boolean known;
                        try (ResultSet rs = exists.executeQuery()) {
                            known = rs.next();
                        }
                        if (!known && (name == null || currency == null)) {
                            throw new ApiException(
                                    404,
                                    "unknown-sku",
                                    "sku " + sku + " is not in the catalog; give name and " + "currency to add it");
                        }
                        PreparedStatement ps = tx.prepare(
                                "INSERT INTO catalog_item (sku, name, price, currency, updated_ms) "
                                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sku) DO UPDATE SET name = COALESCE(?, name), "
                                        + "price = excluded.price, currency = COALESCE(?, currency), updated_ms = excluded.updated_ms");
                        ps.setString(1, sku);
                        ps.setString(2, name == null ? "" : name);
                        ps.setString(3, price);
                        ps.setString(4, currency == null ? "" : currency);
                        ps.setLong(5, now);
                        ps.setString(6, name);
                        ps.setString(7, currency);
                        ps.executeUpdate();
                        fields.store(tx, sku);
                        return book.renderSku(tx, sku, now);
                    })
                    .get(30, TimeUnit.SECONDS);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sku", sku);
            answer.put("price", price);
            answer.put("labelsChanged", changed);
            return answer;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String text(JsonNode body, String field) throws ApiException {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new ApiException(400, "bad-body", "'" + field + "' must be a non-empty string");
        }
        return value.textValue();
    }
}
