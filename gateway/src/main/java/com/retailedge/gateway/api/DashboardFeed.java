package com.retailedge.gateway.api;

import com.retailedge.gateway.ops.GatewayStatus;
import com.retailedge.gateway.spi.DashboardPanel;
import com.retailedge.gateway.spi.StoreDay;
import com.retailedge.gateway.store.ReadPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * What the store dashboard shows, as one JSON object: the health of the gateway (status, cloud link, outbox),
 * what staff must act on ({@link DashboardPanel}s: staff calls and notices, reorders, low stock, devices
 * needing attention, and any a capability adds), today's counts in the store's time zone (events, member
 * visits by tier, dead letters by reason) and events per minute by kind for the last hour. It is served
 * without a token, like {@code /health}, so it carries no member data and nothing a device sent.
 */
final class DashboardFeed {
    static final int CHART_MINUTES = 60;
    private static final int RECENT_DEAD_LETTERS = 10;
    private static final List<String> SUMMARY_PARTS = List.of("devices", "labels", "orders", "events", "members");

    private final ReadPool reads;
    private final GatewayStatus status;
    private final EventRollups rollups;
    private final BiFunction<Instant, Instant, Map<String, Object>> summary;
    private final ZoneId zone;
    private final List<DashboardPanel> panels;
    private final DeadLetterTally deadLetterTally = new DeadLetterTally();

    /** {@code summary} computes the API's summary body for a window [from, to); {@code zone} is the store's. */
    DashboardFeed(
            ReadPool reads,
            GatewayStatus status,
            EventRollups rollups,
            BiFunction<Instant, Instant, Map<String, Object>> summary,
            ZoneId zone,
            List<DashboardPanel> panels) {
        this.reads = reads;
        this.status = status;
        this.rollups = rollups;
        this.summary = summary;
        this.zone = zone;
        this.panels = List.copyOf(panels);
    }

    /** Blocking: runs on a worker. */
    Map<String, Object> snapshot() throws SQLException {
        Instant now = Instant.now();
        StoreDay day = StoreDay.at(zone, now);
        Instant startOfDay = Instant.ofEpochMilli(day.startMs());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", now.toString());
        body.put("since", startOfDay.toString());
        body.put("timezone", zone.getId());
        Map<String, Object> health = status.health();
        body.put("status", health.get("status"));
        body.put("cloud", health.get("cloud"));
        Map<String, Object> outbox = status.outboxSummary();
        Map<String, Object> backlog = new LinkedHashMap<>();
        backlog.put("pending", outbox.get("pending"));
        backlog.put("oldestPendingAgeSeconds", outbox.get("oldestPendingAgeSeconds"));
        backlog.put("full", outbox.get("full"));
        body.put("outbox", backlog);
        Map<String, Object> today = summary.apply(startOfDay, now.plusMillis(1));
        for (String part : SUMMARY_PARTS) {
            if (today.containsKey(part)) {
                body.put(part, today.get(part));
            }
        }
        long endMinute = Math.floorDiv(now.toEpochMilli(), EventRollups.MINUTE_MS) + 1;
        long startMinute = endMinute - CHART_MINUTES;
        Map<Long, Map<String, Long>> perMinute = reads.read(c -> rollups.perMinuteByType(c, startMinute, endMinute));
        Set<String> kinds = new TreeSet<>();
        List<Map<String, Object>> chart = new ArrayList<>(CHART_MINUTES);
        for (long minute = startMinute; minute < endMinute; minute++) {
            Map<String, Long> byKind = new TreeMap<>();
            perMinute.getOrDefault(minute, Map.of()).forEach((type, n) -> byKind.merge(kindOf(type), n, Long::sum));
            kinds.addAll(byKind.keySet());
            Map<String, Object> point = new LinkedHashMap<>();
            point.put(
                    "minute",
                    Instant.ofEpochMilli(minute * EventRollups.MINUTE_MS).toString());
            point.put(
                    "count", byKind.values().stream().mapToLong(Long::longValue).sum());
            point.put("byKind", byKind);
            chart.add(point);
        }
        body.put("eventsPerMinute", chart);
        body.put("eventKinds", List.copyOf(kinds));
        body.put("deadLetters", reads.read(DashboardFeed::recentDeadLetters));
        body.put("deadLettersByReason", reads.read(c -> deadLetterTally.today(c, day)));
        reads.read(c -> {
            for (DashboardPanel panel : panels) {
                body.put(panel.name(), panel.compute(c, day));
            }
            return null;
        });
        return body;
    }

    /** {@code retail.button.pressed} -> {@code button}: the chart stacks events by what they are about. */
    static String kindOf(String type) {
        String[] parts = type.split("\\.");
        return parts.length >= 3 ? parts[1] : type;
    }

    private static List<Map<String, Object>> recentDeadLetters(Connection c) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, at_ms, reason, device_id, address FROM dead_letter ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, RECENT_DEAD_LETTERS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong(1));
                    row.put("at", Instant.ofEpochMilli(rs.getLong(2)).toString());
                    row.put("reason", rs.getString(3));
                    row.put("deviceId", rs.getString(4));
                    row.put("address", rs.getString(5));
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
