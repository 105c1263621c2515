package com.retailedge.gateway.buttons;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.spi.ApiException;
import com.retailedge.gateway.spi.ApiRoutes;
import com.retailedge.gateway.spi.ApiSupport;
import com.retailedge.gateway.spi.SummarySection;
import com.retailedge.gateway.store.SqlCount;
import com.retailedge.gateway.store.SqliteWriter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * REST routes of the buttons capability and its {@code buttons} summary section:
 * {@code GET /api/v1/buttons/reorders?state=}, {@code POST /api/v1/buttons/reorders/{id}/confirm} (admin) and
 * {@code GET /api/v1/notices?state=}.
 */
final class ButtonsApi implements ApiRoutes, SummarySection {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 1000;
    private static final Set<String> REORDER_STATES = Set.of("open", "held", "unconfirmed", "requested", "cancelled");
    private static final Set<String> NOTICE_STATES = Set.of("open", "acked");

    private final SqliteWriter writer;
    private final Reorders reorders;

    ButtonsApi(SqliteWriter writer, Reorders reorders) {
        this.writer = writer;
        this.reorders = reorders;
    }

    @Override
    public void mount(Router router, ApiSupport support) {
        router.get("/api/v1/buttons/reorders").handler(ctx -> {
            String state = stateParam(ctx, REORDER_STATES);
            if (state != null) {
                support.readJson(ctx, c -> Map.of("reorders", listReorders(c, state)));
            }
        });
        router.post("/api/v1/buttons/reorders/:id/confirm").handler(ctx -> {
            if (support.requireAdmin(ctx)) {
                String id = ctx.pathParam("id");
                support.blockingJson(ctx, () -> confirm(id));
            }
        });
        router.get("/api/v1/notices").handler(ctx -> {
            String state = stateParam(ctx, NOTICE_STATES);
            if (state != null) {
                support.readJson(ctx, c -> Map.of("notices", listNotices(c, state)));
            }
        });
    }

    @Override
    public String name() {
        return "buttons";
    }

    @Override
    public Object compute(Connection c, long fromMs, long toMs) throws SQLException {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put(
                "presses",
                SqlCount.of(
                        c,
                        "SELECT COUNT(*) FROM button_press WHERE outcome <> 'bounce' "
                                + "AND received_ms >= ? AND received_ms < ?",
                        fromMs,
                        toMs));
        section.put(
                "openReorders", SqlCount.of(c, "SELECT COUNT(*) FROM reorder WHERE state IN ('held', 'unconfirmed')"));
        section.put(
                "replenishments",
                SqlCount.of(
                        c,
                        "SELECT COUNT(*) FROM reorder WHERE state = 'requested' "
                                + "AND closed_ms >= ? AND closed_ms < ?",
                        fromMs,
                        toMs));
        section.put(
                "openNotices",
                SqlCount.of(
                        c,
                        "SELECT COUNT(*) FROM notice WHERE state = 'open' "
                                + "AND kind IN ('shelf-empty', 'staff-call')"));
        section.put("lowBattery", SqlCount.of(c, "SELECT COUNT(*) FROM button_battery WHERE low = 1"));
        return section;
    }

    /** Confirms a reorder that waited for confirmation: its replenishment is requested at once. */
    private Object confirm(String reorderId) throws Exception {
        Boolean done = writer.submit(tx -> reorders.request(tx, reorderId, "unconfirmed", "api"))
                .get();
        if (!done) {
            throw new ApiException(
                    409,
                    "not-unconfirmed",
                    "reorder '" + reorderId + "' does not exist or is not waiting for confirmation");
        }
        return Map.of("reorderId", reorderId, "state", "requested");
    }

    /** The state parameter (default {@code open}); null after answering 400. */
    private static String stateParam(RoutingContext ctx, Set<String> allowed) {
        String state = ctx.request().getParam("state", "open");
        if (!allowed.contains(state)) {
            ApiSupport.error(
                    ctx,
                    400,
                    "bad-parameter",
                    "state must be one of " + allowed.stream().sorted().toList());
            return null;
        }
        return state;
    }

    private static List<Map<String, Object>> listReorders(Connection c, String state) throws SQLException {
        String where = state.equals("open") ? "state IN ('held', 'unconfirmed')" : "state = '" + state + "'";
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT reorder_id, button_id, msg_id, sku, qty, state, pressed_ms, "
                                + "due_ms, closed_ms FROM reorder WHERE " + where + " ORDER BY pressed_ms DESC LIMIT "
                                + LIMIT);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("reorderId", rs.getString(1));
                row.put("buttonId", rs.getString(2));
                row.put("msgId", rs.getString(3));
                row.put("sku", rs.getString(4));
                row.put("qty", rs.getLong(5));
                row.put("state", rs.getString(6));
                row.put("pressedAt", time(rs.getLong(7)));
                row.put("cancelUntil", rs.getObject(8) == null ? null : time(rs.getLong(8)));
                row.put("closedAt", rs.getObject(9) == null ? null : time(rs.getLong(9)));
                rows.add(row);
            }
        }
        return rows;
    }

    /** Open notices most urgent first (L1 members first; lapsed member notices left out), acked ones newest first. */
    private static List<Map<String, Object>> listNotices(Connection c, String state) throws SQLException {
        String order = state.equals("open") ? "priority, created_ms" : "acked_ms DESC";
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT notice_id, kind, source_id, priority, created_ms, acked_ms, "
                        + "acked_by, body FROM notice WHERE state = ? AND (state <> 'open' OR expires_ms IS NULL OR expires_ms > ?) "
                        + "ORDER BY " + order + " LIMIT " + LIMIT)) {
            ps.setString(1, state);
            ps.setLong(2, System.currentTimeMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("noticeId", rs.getString(1));
                    row.put("kind", rs.getString(2));
                    row.put("sourceId", rs.getString(3));
                    row.put("priority", rs.getInt(4));
                    row.put("state", state);
                    row.put("createdAt", time(rs.getLong(5)));
                    row.put("ackedAt", rs.getObject(6) == null ? null : time(rs.getLong(6)));
                    row.put("ackedBy", rs.getString(7));
                    row.put("notice", rawJson(rs.getString(8)));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** The notice exactly as the PDAs got it. */
    private static Object rawJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static String time(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
