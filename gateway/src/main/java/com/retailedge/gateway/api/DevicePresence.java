package com.retailedge.gateway.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each device was last heard from, for "online" counts. Read off the device path from
 * {@code device_message.received_at} (indexed) on the upkeep thread, so ingest pays nothing for it.
 */
final class DevicePresence {
    /** Rows are stamped inside the writer's unit and become visible at commit: look back this much. */
    private static final long COMMIT_SLACK_MS = 2_000;

    private final Connection reader;
    private final Duration onlineWindow;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    /** Upkeep thread only. */
    private long scannedTo;

    DevicePresence(Connection reader, Duration onlineWindow) {
        this.reader = reader;
        this.onlineWindow = onlineWindow;
        this.scannedTo = System.currentTimeMillis() - onlineWindow.toMillis();
    }

    /** Upkeep thread: takes in messages received since the last scan. */
    void scan() throws SQLException {
        long from = scannedTo - COMMIT_SLACK_MS;
        try (PreparedStatement ps = reader.prepareStatement("SELECT device_id, MAX(received_at) FROM device_message "
                // named, or for GROUP BY device_id SQLite walks the whole table in key order
                + "INDEXED BY device_message_received WHERE received_at >= ? GROUP BY device_id")) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long at = rs.getLong(2);
                    lastSeen.merge(rs.getString(1), at, Math::max);
                    scannedTo = Math.max(scannedTo, at);
                }
            }
        }
    }

    /** Epoch millis of the device's last message seen, or null. */
    Long lastSeen(String deviceId) {
        return lastSeen.get(deviceId);
    }

    Duration onlineWindow() {
        return onlineWindow;
    }

    /** True when the device sent a message within the online window. */
    boolean isOnline(String deviceId, long nowMs) {
        Long at = lastSeen.get(deviceId);
        return at != null && at >= nowMs - onlineWindow.toMillis();
    }
}
