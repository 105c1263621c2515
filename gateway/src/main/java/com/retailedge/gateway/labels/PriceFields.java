package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The optional price fields of a catalog entry, from a cloud {@code prices} entry or a local change:
 * {@code "promotion": {"price", "start"?, "end"?}} (a scheduled price: it takes effect at its start and ends at its
 * end) and {@code "memberPrice"}. An entry without them clears them: each entry states the SKU's whole pricing.
 */
record PriceFields(String promoPrice, Long promoStartMs, Long promoEndMs, String memberPrice) {
    static final Pattern PRICE = Pattern.compile("\\d{1,9}(\\.\\d{1,4})?");

    static PriceFields read(JsonNode entry, String where) throws Rejection {
        String memberPrice = null;
        if (entry.hasNonNull("memberPrice")) {
            memberPrice = price(entry.get("memberPrice"), where + ": memberPrice");
        }
        JsonNode promo = entry.get("promotion");
        if (promo == null || promo.isNull()) {
            return new PriceFields(null, null, null, memberPrice);
        }
        if (!promo.isObject()) {
            throw bad(where + ": promotion must be an object {price, start, end}");
        }
        String promoPrice = price(promo.get("price"), where + ": promotion.price");
        Long start = time(promo.get("start"), where + ": promotion.start");
        Long end = time(promo.get("end"), where + ": promotion.end");
        if (start != null && end != null && start >= end) {
            throw bad(where + ": promotion.start must be before promotion.end");
        }
        return new PriceFields(promoPrice, start, end, memberPrice);
    }

    /** Writer thread: stores these fields on the SKU's catalog item. */
    void store(Tx tx, String sku) throws SQLException {
        PreparedStatement ps =
                tx.prepare("UPDATE catalog_item SET promo_price = ?, promo_start_ms = ?, promo_end_ms = ?, "
                        + "member_price = ? WHERE sku = ?");
        ps.setString(1, promoPrice);
        setLong(ps, 2, promoStartMs);
        setLong(ps, 3, promoEndMs);
        ps.setString(4, memberPrice);
        ps.setString(5, sku);
        ps.executeUpdate();
    }

    static String price(JsonNode node, String where) throws Rejection {
        if (node == null
                || !node.isTextual()
                || !PRICE.matcher(node.textValue()).matches()) {
            throw bad(where + " must be a decimal string like 1.99");
        }
        return node.textValue();
    }

    private static Long time(JsonNode node, String where) throws Rejection {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw bad(where + " must be an ISO-8601 UTC time like 2026-11-23T18:00:00Z");
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    static Rejection bad(String detail) {
        return new Rejection(RejectReason.BAD_COMMAND, detail);
    }
}
