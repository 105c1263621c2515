package com.retailedge.gateway.notices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.spi.DevicePublisher;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.Prune;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Notices for staff on the PDAs' notify topic: a shelf is empty, a customer calls, a member arrived. A notice
 * is kept open in SQLite until a PDA acknowledges it on {@code store/{storeId}/pda/{pdaId}/ack}; a PDA that
 * reports {@code idle} gets every open notice again, most urgent first. Writer thread only; sends after commit.
 */
public final class StaffNotices {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topicPrefix;
    private final DeviceRegistry registry;
    private final DevicePublisher publisher;
    private final OpenNotices openNotices = new OpenNotices();

    public StaffNotices(String storeId, DeviceRegistry registry, DevicePublisher publisher) {
        this.topicPrefix = "store/" + storeId + "/pda/";
        this.registry = registry;
        this.publisher = publisher;
    }

    /**
     * The notices capability: a PDA's ack closes a notice, an idle PDA hears every open one again; notices acked
     * or expired before the retention are deleted. Buttons and members open notices through this object.
     */
    public Capability capability() {
        return Capability.named("notices")
                .onAccepted(Channel.PDA_ACK, (tx, m) -> acknowledged(tx, (DeviceMessage.PdaAck) m))
                .onAccepted(Channel.PDA_STATUS, (tx, m) -> pdaReported(tx, (DeviceMessage.PdaStatus) m))
                .prunes(Prune.rows(
                        "notice", "notice_id", "(state = 'acked' AND acked_ms < :before) OR expires_ms < :before"))
                .build();
    }

    /**
     * Opens a notice and sends it to every PDA that is not off, once committed.
     *
     * @param priority lower is more urgent: member tiers L1..L4 are 1..4, staff calls 5, empty shelves 6
     * @param content what staff need, merged into the notice after its own fields
     * @param expiresMs when the notice stops mattering even unacknowledged (no longer re-sent or listed), or null
     * @return the notice id
     */
    public String open(Tx tx, String kind, String sourceId, int priority, Map<String, Object> content, Long expiresMs)
            throws SQLException {
        openNotices.load(tx); // before the insert: the first load must read only committed notices
        String noticeId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("noticeId", noticeId);
        body.put("state", "open");
        body.put("kind", kind);
        body.put("priority", priority);
        body.put("at", Instant.ofEpochMilli(now).toString());
        body.putAll(content);
        String json = json(body);
        PreparedStatement ps =
                tx.prepare("INSERT INTO notice (notice_id, kind, source_id, priority, body, state, created_ms, "
                        + "expires_ms) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)");
        ps.setString(1, noticeId);
        ps.setString(2, kind);
        ps.setString(3, sourceId);
        ps.setInt(4, priority);
        ps.setString(5, json);
        ps.setLong(6, now);
        if (expiresMs == null) {
            ps.setNull(7, java.sql.Types.INTEGER);
        } else {
            ps.setLong(7, expiresMs);
        }
        ps.executeUpdate();
        openNotices.opened(tx, noticeId, kind, sourceId, expiresMs);
        List<String> pdas = pdasOn(tx);
        tx.handOff(() -> publisher.publishToEach(pdas, this::notifyTopic, json));
        return noticeId;
    }

    /** The open notice of this kind from this source, if any: a second press must not open a second one. */
    public String openNoticeOf(Tx tx, String kind, String sourceId) throws SQLException {
        return openNotices.find(tx, kind, sourceId);
    }

    /** A PDA's ack closes the notice for all PDAs; an ack of an unknown or closed notice changes nothing. */
    public void acknowledged(Tx tx, DeviceMessage.PdaAck ack) throws SQLException {
        openNotices.load(tx); // before the update, as in open()
        PreparedStatement ps = tx.prepare(
                "UPDATE notice SET state = 'acked', acked_ms = ?, acked_by = ? WHERE notice_id = ? AND state = 'open'");
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, ack.deviceId());
        ps.setString(3, ack.noticeId());
        if (ps.executeUpdate() == 0) {
            return;
        }
        openNotices.closed(tx, ack.noticeId());
        Map<String, Object> closed = new LinkedHashMap<>();
        closed.put("noticeId", ack.noticeId());
        closed.put("state", "acked");
        closed.put("ackedBy", ack.deviceId());
        String json = json(closed);
        List<String> pdas = pdasOn(tx);
        tx.handOff(() -> publisher.publishToEach(pdas, this::notifyTopic, json));
    }

    /** A PDA that is ready again may have missed notices while it was off or out of reach. */
    public void pdaReported(Tx tx, DeviceMessage.PdaStatus status) throws SQLException {
        if (!"idle".equals(status.state())) {
            return;
        }
        List<String> open = new ArrayList<>();
        PreparedStatement ps = tx.prepare("SELECT body FROM notice WHERE state = 'open' "
                + "AND (expires_ms IS NULL OR expires_ms > ?) ORDER BY priority, created_ms LIMIT 1000");
        ps.setLong(1, System.currentTimeMillis());
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                open.add(rs.getString(1));
            }
        }
        String topic = notifyTopic(status.deviceId());
        tx.handOff(() -> publisher.publishAll(topic, open));
    }

    private String notifyTopic(String pdaId) {
        return topicPrefix + pdaId + "/notify";
    }

    /** Registered PDAs, less those whose last status was {@code off}. */
    private List<String> pdasOn(Tx tx) throws SQLException {
        Set<String> off = new HashSet<>();
        PreparedStatement ps = tx.prepare("SELECT pda_id FROM pda_state WHERE state = 'off'");
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                off.add(rs.getString(1));
            }
        }
        List<String> on = new ArrayList<>(registry.ids(DeviceKind.PDA));
        on.removeAll(off);
        return on;
    }

    private static String json(Map<String, Object> body) throws SQLException {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new SQLException("notice cannot be written as JSON", e);
        }
    }
}
