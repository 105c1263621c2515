package com.retailedge.gateway.spi;

import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Pick-to-light: picking asks the labels of an order's SKUs to flash while the order is being picked, and
 * to stop once a SKU is picked. Called on the writer thread inside picking's transaction; the label side
 * records the wish durably and pushes it to the labels after commit.
 */
public interface PickLights {
    /** For stores without shelf labels: picking asks, nothing lights. */
    PickLights NONE = new PickLights() {
        @Override
        public void light(Tx tx, String orderId, Collection<String> skus) {}

        @Override
        public void clear(Tx tx, String orderId, String sku) {}
    };

    /** Starts flashing the labels of these SKUs for this order. */
    void light(Tx tx, String orderId, Collection<String> skus) throws SQLException;

    /** Stops flashing for this order's SKU (picked, shorted, or the order ended). */
    void clear(Tx tx, String orderId, String sku) throws SQLException;
}
