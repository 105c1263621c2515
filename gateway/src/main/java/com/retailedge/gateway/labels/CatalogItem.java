package com.retailedge.gateway.labels;

import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One catalog item as a label renders it; the promotion is a scheduled price active in [start, end). */
record CatalogItem(
        String sku,
        String name,
        String price,
        String currency,
        String promoPrice,
        Long promoStartMs,
        Long promoEndMs,
        String memberPrice) {

    /** Writer thread: the item, or null when the SKU has no price yet. */
    static CatalogItem find(Tx tx, String sku) throws SQLException {
        PreparedStatement ps =
                tx.prepare("SELECT sku, name, price, currency, promo_price, promo_start_ms, promo_end_ms, "
                        + "member_price FROM catalog_item WHERE sku = ?");
        ps.setString(1, sku);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new CatalogItem(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    nullableLong(rs, 6),
                    nullableLong(rs, 7),
                    rs.getString(8));
        }
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    boolean promotionActive(long nowMs) {
        return promoPrice != null
                && (promoStartMs == null || promoStartMs <= nowMs)
                && (promoEndMs == null || nowMs < promoEndMs);
    }
}
