package com.retailedge.gateway.members;

import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.notices.StaffNotices;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.AcceptedEffect;
import com.retailedge.gateway.store.Tx;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Matches an accepted recognition against the member cache, by the keyed hash of its reference only. Below the
 * method's confidence threshold, an unknown reference, or a member without consent: counted, nothing else. A
 * known member not seen within the visit window starts a visit: one {@code retail.member.recognized} (member
 * id, tier, method, visit id; never the reference) and a staff notice ranked by tier. Seen again within the
 * window, the visit goes on quietly. Works on the local cache alone, so it needs no cloud. Writer thread only.
 */
final class Recognitions implements AcceptedEffect {
    private final RefHasher hasher;
    private final GatewayConfig.Members thresholds;
    private final long visitWindowMs;
    private final Outbox outbox;
    private final StaffNotices notices;
    private final MeterRegistry metrics;
    /** The visit window's clock: the system's in the gateway, a test's own to run it in virtual time. */
    private final InstantSource clock;

    /** @param hasher null when no key is set: every reference is then unknown */
    Recognitions(
            RefHasher hasher,
            GatewayConfig.Members thresholds,
            Duration visitWindow,
            Outbox outbox,
            StaffNotices notices,
            InstantSource clock,
            MeterRegistry metrics) {
        this.clock = clock;
        this.hasher = hasher;
        this.thresholds = thresholds;
        this.visitWindowMs = visitWindow.toMillis();
        this.outbox = outbox;
        this.notices = notices;
        this.metrics = metrics;
    }

    private record Known(String memberId, String tier, boolean consent, String greeting, String notes) {}

    @Override
    public void apply(Tx tx, DeviceMessage message) throws SQLException {
        DeviceMessage.Recognition seen = (DeviceMessage.Recognition) message;
        long now = clock.millis();
        if (seen.confidence() < thresholds.minConfidence(seen.method())) {
            miss(tx, seen, now, "low-confidence");
            return;
        }
        Known member = hasher == null ? null : lookUp(tx, hasher.hash(seen.method(), seen.memberRef()));
        if (member == null) {
            miss(tx, seen, now, "unknown");
            return;
        }
        if (!member.consent()) {
            miss(tx, seen, now, "no-consent");
            return;
        }
        if (continuesVisit(tx, member.memberId(), now)) {
            count(tx, "same-visit");
            return;
        }
        String visitId = UUID.randomUUID().toString();
        PreparedStatement ps =
                tx.prepare("INSERT INTO member_visit (visit_id, member_id, tier, method, camera_id, msg_id, "
                        + "started_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, visitId);
        ps.setString(2, member.memberId());
        ps.setString(3, member.tier());
        ps.setString(4, seen.method());
        ps.setString(5, seen.deviceId());
        ps.setString(6, seen.msgId());
        ps.setLong(7, now);
        ps.setLong(8, now);
        ps.executeUpdate();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msgId", seen.msgId());
        data.put("memberId", member.memberId());
        data.put("tier", member.tier());
        data.put("method", seen.method());
        data.put("visitId", visitId);
        data.put("cameraId", seen.deviceId());
        data.put("confidence", seen.confidence());
        outbox.append(tx, EventTypes.MEMBER_RECOGNIZED, seen.deviceId(), data);
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("memberId", member.memberId());
        notice.put("tier", member.tier());
        notice.put("greeting", member.greeting());
        notice.put("notes", member.notes());
        notice.put("visitId", visitId);
        notice.put("cameraId", seen.deviceId());
        // Greeting a member matters while they are in the store: the notice lapses with the visit window.
        notices.open(
                tx,
                "member",
                seen.deviceId(),
                Integer.parseInt(member.tier().substring(1)),
                notice,
                now + visitWindowMs);
        count(tx, "new-visit");
    }

    private static Known lookUp(Tx tx, String refHash) throws SQLException {
        PreparedStatement ps =
                tx.prepare("SELECT m.member_id, m.tier, m.consent, m.greeting, m.notes FROM member_ref r "
                        + "JOIN member m ON m.member_id = r.member_id WHERE r.ref_hash = ?");
        ps.setString(1, refHash);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next()
                    ? new Known(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getString(4), rs.getString(5))
                    : null;
        }
    }

    /** True, and the visit's last sighting moved to now, when the member was seen within the visit window. */
    private boolean continuesVisit(Tx tx, String memberId, long now) throws SQLException {
        PreparedStatement ps = tx.prepare(
                "SELECT visit_id FROM member_visit WHERE member_id = ? AND last_seen_ms > ? ORDER BY last_seen_ms DESC LIMIT 1");
        ps.setString(1, memberId);
        ps.setLong(2, now - visitWindowMs);
        String visitId;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
            visitId = rs.getString(1);
        }
        PreparedStatement update = tx.prepare("UPDATE member_visit SET last_seen_ms = ? WHERE visit_id = ?");
        update.setLong(1, now);
        update.setString(2, visitId);
        update.executeUpdate();
        return true;
    }

    private void miss(Tx tx, DeviceMessage.Recognition seen, long now, String outcome) throws SQLException {
        PreparedStatement ps =
                tx.prepare("INSERT INTO member_miss (at_ms, camera_id, method, outcome) VALUES (?, ?, ?, ?)");
        ps.setLong(1, now);
        ps.setString(2, seen.deviceId());
        ps.setString(3, seen.method());
        ps.setString(4, outcome);
        ps.executeUpdate();
        count(tx, outcome);
    }

    private void count(Tx tx, String outcome) {
        Counter counter = Counter.builder("gateway_member_recognitions")
                .description("recognitions by what they became")
                .tag("outcome", outcome)
                .register(metrics);
        tx.afterCommit(counter::increment);
    }
}
