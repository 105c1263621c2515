package com.retailedge.gateway.picking;

import com.retailedge.gateway.spi.SummarySection;
import com.retailedge.gateway.store.SqlCount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code orders} in the summary: {@code waiting}, {@code picking} and {@code late} now; {@code picked},
 * {@code meanPickSeconds} and {@code shorts} (short lines) of the orders picked within the window.
 */
final class OrdersSummary implements SummarySection {
    @Override
    public String name() {
        return "orders";
    }

    @Override
    public Object compute(Connection c, long fromMs, long toMs) throws SQLException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("waiting", SqlCount.of(c, "SELECT count(*) FROM pick_order WHERE state = 'waiting'"));
        body.put("picking", SqlCount.of(c, "SELECT count(*) FROM pick_order WHERE state = 'picking'"));
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), avg(picked_ms - assigned_ms) / 1000.0 "
                + "FROM pick_order WHERE picked_ms >= ? AND picked_ms < ?")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                body.put("picked", rs.getLong(1));
                double mean = rs.getDouble(2);
                body.put("meanPickSeconds", rs.wasNull() ? 0.0 : Math.round(mean * 10) / 10.0);
            }
        }
        body.put(
                "late",
                SqlCount.of(c, "SELECT count(*) FROM pick_order WHERE state IN ('waiting', 'picking') AND late = 1"));
        body.put(
                "shorts",
                SqlCount.of(
                        c,
                        "SELECT count(*) FROM order_line l JOIN pick_order o ON o.order_id = l.order_id "
                                + "WHERE o.picked_ms >= ? AND o.picked_ms < ? AND l.short_reason IS NOT NULL",
                        fromMs,
                        toMs));
        return body;
    }
}
