package com.retailedge.gateway.api;

import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.spi.DashboardPanel;
import com.retailedge.gateway.spi.StoreDay;
import com.retailedge.gateway.store.DeviceRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Devices that need someone to look at them: PDAs, cameras and access points not heard from within
 * {@code api.online-window} (buttons and labels speak only when pressed or on their own schedule, so silence
 * is normal for them), and buttons and labels whose last battery report is low. Labels not showing their
 * price are in the summary's {@code labels.worst}.
 */
final class AttentionPanel implements DashboardPanel {
    private static final int ROWS = 30;
    private static final Set<DeviceKind> ALWAYS_ON = EnumSet.of(DeviceKind.PDA, DeviceKind.CAMERA, DeviceKind.AP);

    private final DeviceRegistry registry;
    private final DevicePresence presence;
    private final int labelBatteryLow;

    AttentionPanel(DeviceRegistry registry, DevicePresence presence, int labelBatteryLow) {
        this.registry = registry;
        this.presence = presence;
        this.labelBatteryLow = labelBatteryLow;
    }

    @Override
    public String name() {
        return "attention";
    }

    @Override
    public Object compute(Connection c, StoreDay day) throws SQLException {
        DeviceLiveness liveness = new DeviceLiveness(registry, presence, presence.onlineWindow());
        List<Map<String, Object>> offline = new ArrayList<>();
        registry.all().stream()
                .filter(r -> ALWAYS_ON.contains(r.kind()) && !liveness.isOnline(r, day.nowMs()))
                .sorted(Comparator.comparing((DeviceRegistry.Registration r) -> r.kind())
                        .thenComparing(DeviceRegistry.Registration::deviceId, AttentionPanel::byNumberInId))
                .forEach(r -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("deviceId", r.deviceId());
                    row.put("kind", r.kind().wire());
                    Long seen = liveness.lastSeen(r);
                    row.put("lastSeen", seen == null ? null : StoreDay.time(seen));
                    offline.add(row);
                });
        Map<String, Object> panel = new LinkedHashMap<>();
        panel.put("offlineCount", offline.size());
        panel.put("offline", offline.subList(0, Math.min(ROWS, offline.size())));
        List<Map<String, Object>> battery = new ArrayList<>();
        lowBattery(
                c,
                "SELECT button_id, 'button', battery, updated_ms FROM button_battery WHERE low = 1 "
                        + "ORDER BY battery, button_id LIMIT " + ROWS,
                battery);
        lowBattery(
                c,
                "SELECT s.label_id, 'label', s.battery, s.last_seen_ms FROM label_state s JOIN device d "
                        + "ON d.device_id = s.label_id AND d.kind = 'label' WHERE s.battery < " + labelBatteryLow
                        + " ORDER BY s.battery, s.label_id LIMIT " + ROWS,
                battery);
        panel.put("lowBattery", battery);
        return panel;
    }

    /** pda-2 before pda-10: by the id without its trailing number, then that number, then the whole id. */
    static int byNumberInId(String a, String b) {
        String stemA = a.replaceFirst("\\d{1,18}$", "");
        String stemB = b.replaceFirst("\\d{1,18}$", "");
        int byStem = stemA.compareTo(stemB);
        if (byStem != 0) {
            return byStem;
        }
        int byNumber = Long.compare(trailing(a, stemA), trailing(b, stemB));
        return byNumber != 0 ? byNumber : a.compareTo(b);
    }

    private static long trailing(String id, String stem) {
        return id.length() == stem.length() ? -1 : Long.parseLong(id.substring(stem.length()));
    }

    private static void lowBattery(Connection c, String sql, List<Map<String, Object>> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("deviceId", rs.getString(1));
                row.put("kind", rs.getString(2));
                row.put("battery", rs.getInt(3));
                row.put("reported", StoreDay.time(rs.getLong(4)));
                rows.add(row);
            }
        }
    }
}
