package com.retailedge.gateway.stock;

import com.retailedge.gateway.spi.SummarySection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code stock} in the summary: the net change per SKU over the window, from the ledger. */
public final class StockSummary implements SummarySection {
    @Override
    public String name() {
        return "stock";
    }

    @Override
    public Object compute(Connection c, long fromMs, long toMs) throws SQLException {
        Map<String, Long> net = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT sku, sum(delta) FROM stock_move WHERE at_ms >= ? AND at_ms < ? GROUP BY sku ORDER BY sku")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    net.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return net;
    }
}
