package com.retailedge.gateway.labels;

import com.retailedge.gateway.spi.PickLights;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Pick-to-light through the labels: {@code flash} becomes part of a SKU's label content while any order wants it,
 * so lighting or clearing is a new version pushed like a price change (after the picking transaction commits).
 */
public final class LabelPickLights implements PickLights {
    private final LabelBook book;

    public LabelPickLights(LabelBook book) {
        this.book = book;
    }

    @Override
    public void light(Tx tx, String orderId, Collection<String> skus) throws SQLException {
        book.light(tx, orderId, skus, System.currentTimeMillis());
    }

    @Override
    public void clear(Tx tx, String orderId, String sku) throws SQLException {
        book.clear(tx, orderId, sku, System.currentTimeMillis());
    }
}
