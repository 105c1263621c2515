package com.retailedge.gateway.labels;

import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.labels.push.PushJob;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.LabelReports;
import com.retailedge.gateway.store.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The labels' state machine, on the writer thread. A label whose rendered content changed gets the next version
 * and is {@code pending}; it is {@code current} once it reports showing that version, and {@code failed} when its
 * push gives up or the deadline passes, with the reason. Pushes are handed to the pusher after commit, so nothing
 * is sent that the store does not hold.
 */
public final class LabelBook implements LabelReports {
    static final String PENDING = "pending";
    static final String CURRENT = "current";
    static final String FAILED = "failed";

    private final Outbox outbox;
    private final Consumer<PushJob> pushes;
    private volatile GiveUp giveUp = (ap, labelId, version) -> {};

    private record Row(
            String labelId, String sku, String ap, long desiredVersion, String content, String hash, String state) {}

    public LabelBook(Outbox outbox, Consumer<PushJob> pushes) {
        this.outbox = outbox;
        this.pushes = pushes;
    }

    /** Binds (or re-binds) a label to a SKU and access point and renders it. */
    public void bind(Tx tx, String labelId, String sku, String ap, long nowMs) throws SQLException {
        PreparedStatement ps =
                tx.prepare("INSERT INTO label (label_id, sku, ap, state, since_ms) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (label_id) DO UPDATE SET sku = excluded.sku, ap = excluded.ap");
        ps.setString(1, labelId);
        ps.setString(2, sku);
        ps.setString(3, ap);
        ps.setString(4, PENDING);
        ps.setLong(5, nowMs);
        ps.executeUpdate();
        Row row = find(tx, labelId);
        render(tx, row, CatalogItem.find(tx, sku), flashing(tx, sku), nowMs);
    }

    public void unbind(Tx tx, String labelId) throws SQLException {
        PreparedStatement ps = tx.prepare("DELETE FROM label WHERE label_id = ?");
        ps.setString(1, labelId);
        ps.executeUpdate();
    }

    /** Renders every label of a SKU again; returns how many got a new version. */
    public int renderSku(Tx tx, String sku, long nowMs) throws SQLException {
        CatalogItem item = CatalogItem.find(tx, sku);
        boolean flash = flashing(tx, sku);
        List<Row> rows = new ArrayList<>();
        PreparedStatement ps = tx.prepare("SELECT label_id, sku, ap, desired_version, content, content_hash, state "
                + "FROM label WHERE sku = ?");
        ps.setString(1, sku);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(row(rs));
            }
        }
        int changed = 0;
        for (Row row : rows) {
            if (render(tx, row, item, flash, nowMs)) {
                changed++;
            }
        }
        return changed;
    }

    private boolean render(Tx tx, Row row, CatalogItem item, boolean flash, long nowMs) throws SQLException {
        if (item == null) {
            // Pending with the reason; the deadline counts from when the label first lacked a price.
            PreparedStatement ps = tx.prepare("UPDATE label SET content = NULL, content_hash = NULL, price = NULL, "
                    + "state = ?, reason = ?, since_ms = CASE WHEN content IS NULL AND state = ? THEN since_ms ELSE ? END "
                    + "WHERE label_id = ?");
            ps.setString(1, PENDING);
            ps.setString(2, "no-price: sku " + row.sku() + " has no price in the catalog");
            ps.setString(3, PENDING);
            ps.setLong(4, nowMs);
            ps.setString(5, row.labelId());
            ps.executeUpdate();
            return false;
        }
        LabelContent content = LabelContent.render(item, row.ap(), flash, nowMs);
        if (content.hash().equals(row.hash())) {
            return false;
        }
        long version = row.desiredVersion() + 1;
        int priority = Objects.equals(LabelContent.priceKeyOf(row.content()), content.priceKey()) ? 1 : 0;
        String payload = content.withVersion(version);
        PreparedStatement ps =
                tx.prepare("UPDATE label SET desired_version = ?, content = ?, content_hash = ?, price = ?, "
                        + "priority = ?, state = ?, reason = NULL, since_ms = ? WHERE label_id = ?");
        ps.setLong(1, version);
        ps.setString(2, payload);
        ps.setString(3, content.hash());
        ps.setString(4, content.price());
        ps.setInt(5, priority);
        ps.setString(6, PENDING);
        ps.setLong(7, nowMs);
        ps.setString(8, row.labelId());
        ps.executeUpdate();
        PushJob job = new PushJob(row.labelId(), row.ap(), version, priority, LabelContent.utf8(payload), 0);
        tx.handOff(() -> pushes.accept(job));
        return true;
    }

    /**
     * A status report: always recorded (battery, last seen). A bound label that shows its desired version becomes
     * current, with a {@code retail.label.updated} event; a current label that shows another version (it lost its
     * content) is pending again and pushed again. An unbound label's report is an event when its version changed.
     */
    @Override
    public void reported(Tx tx, DeviceMessage.LabelStatus status) throws SQLException {
        long now = System.currentTimeMillis();
        Long previous = null;
        PreparedStatement select = tx.prepare("SELECT reported_version FROM label_state WHERE label_id = ?");
        select.setString(1, status.deviceId());
        try (ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
                previous = rs.getLong(1);
            }
        }
        PreparedStatement upsert = tx.prepare(
                "INSERT INTO label_state (label_id, reported_version, battery, last_seen_ms) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (label_id) DO UPDATE SET reported_version = excluded.reported_version, "
                        + "battery = excluded.battery, last_seen_ms = excluded.last_seen_ms");
        upsert.setString(1, status.deviceId());
        upsert.setLong(2, status.version());
        upsert.setInt(3, status.battery());
        upsert.setLong(4, now);
        upsert.executeUpdate();
        Row row = find(tx, status.deviceId());
        if (row == null || row.content() == null) {
            if (previous == null || previous != status.version()) {
                outbox.append(tx, EventTypes.LABEL_UPDATED, status.deviceId(), updated(status, null, null));
            }
            return;
        }
        if (status.version() == row.desiredVersion() && !CURRENT.equals(row.state())) {
            PreparedStatement ps =
                    tx.prepare("UPDATE label SET state = ?, reason = NULL, since_ms = ?, shown_price = price "
                            + "WHERE label_id = ?");
            ps.setString(1, CURRENT);
            ps.setLong(2, now);
            ps.setString(3, row.labelId());
            ps.executeUpdate();
            outbox.append(
                    tx,
                    EventTypes.LABEL_UPDATED,
                    row.labelId(),
                    updated(status, row.sku(), priceOf(tx, row.labelId())));
        } else if (status.version() != row.desiredVersion() && CURRENT.equals(row.state())) {
            PreparedStatement ps =
                    tx.prepare("UPDATE label SET state = ?, reason = ?, since_ms = ? WHERE label_id = ?");
            ps.setString(1, PENDING);
            ps.setString(2, "label reported version " + status.version() + " instead of " + row.desiredVersion());
            ps.setLong(3, now);
            ps.setString(4, row.labelId());
            ps.executeUpdate();
            PushJob job =
                    new PushJob(row.labelId(), row.ap(), row.desiredVersion(), 0, LabelContent.utf8(row.content()), 0);
            tx.handOff(() -> pushes.accept(job));
        }
    }

    private static Map<String, Object> updated(DeviceMessage.LabelStatus status, String sku, String price) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msgId", status.msgId());
        data.put("labelId", status.deviceId());
        data.put("version", status.version());
        data.put("battery", status.battery());
        if (sku != null) {
            data.put("sku", sku);
            data.put("price", price);
        }
        return data;
    }

    /** The access point took this version (2.04); kept so the API and a failure reason can tell where it stuck. */
    public void apAccepted(Tx tx, String labelId, long version) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE label SET ap_version = ? WHERE label_id = ? AND ap_version < ?");
        ps.setLong(1, version);
        ps.setString(2, labelId);
        ps.setLong(3, version);
        ps.executeUpdate();
    }

    /** The push of this version gave up; the label fails if that is still the version it should show. */
    public void pushFailed(Tx tx, String labelId, long version, String reason, long nowMs) throws SQLException {
        fail(tx, labelId, version, reason, nowMs);
    }

    /** Fails pending labels whose version has waited longer than the deadline; returns how many. */
    public int expireOverdue(Tx tx, long nowMs, Duration deadline) throws SQLException {
        record Overdue(String labelId, long version, long apVersion, String ap, boolean priced, String reason) {}
        List<Overdue> overdue = new ArrayList<>();
        PreparedStatement ps =
                tx.prepare("SELECT label_id, desired_version, ap_version, ap, content IS NOT NULL, reason "
                        + "FROM label WHERE state = ? AND since_ms <= ? LIMIT 1000");
        ps.setString(1, PENDING);
        ps.setLong(2, nowMs - deadline.toMillis());
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                overdue.add(new Overdue(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getBoolean(5),
                        rs.getString(6)));
            }
        }
        String within = com.retailedge.gateway.config.Durations.format(deadline);
        for (Overdue o : overdue) {
            String reason;
            if (!o.priced()) {
                reason = o.reason();
            } else if (o.apVersion() >= o.version()) {
                reason = "not-shown: the label did not report showing version " + o.version() + " within " + within
                        + " (access point " + o.ap() + " took it)";
            } else {
                reason = "deadline: access point " + o.ap() + " did not take version " + o.version() + " within "
                        + within;
            }
            fail(tx, o.labelId(), o.version(), reason, nowMs);
        }
        return overdue.size();
    }

    private void fail(Tx tx, String labelId, long version, String reason, long nowMs) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE label SET state = ?, reason = ?, since_ms = ? "
                + "WHERE label_id = ? AND desired_version = ? AND state = ?");
        ps.setString(1, FAILED);
        ps.setString(2, reason);
        ps.setLong(3, nowMs);
        ps.setString(4, labelId);
        ps.setLong(5, version);
        ps.setString(6, PENDING);
        if (ps.executeUpdate() == 0) {
            return;
        }
        Row row = find(tx, labelId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("labelId", labelId);
        data.put("version", version);
        data.put("sku", row.sku());
        data.put("ap", row.ap());
        data.put("reason", reason);
        outbox.append(tx, EventTypes.LABEL_FAILED, labelId, data);
        String ap = row.ap();
        if (ap != null) {
            tx.handOff(() -> giveUp.gaveUp(ap, labelId, version));
        }
    }

    /** Told, after commit, that a label gave up on a version: a push of it must stop holding its lane's slot. */
    @FunctionalInterface
    public interface GiveUp {
        void gaveUp(String apId, String labelId, long version);
    }

    /** Call while wiring. */
    public void onGiveUp(GiveUp listener) {
        this.giveUp = listener;
    }

    /** Pick-to-light: starts flashing the labels of these SKUs for an order. */
    public void light(Tx tx, String orderId, Iterable<String> skus, long nowMs) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT OR IGNORE INTO label_flash (order_id, sku) VALUES (?, ?)");
        for (String sku : skus) {
            ps.setString(1, orderId);
            ps.setString(2, sku);
            ps.executeUpdate();
            renderSku(tx, sku, nowMs);
        }
    }

    /** Pick-to-light: this order no longer needs the SKU's labels flashing (others may still). */
    public void clear(Tx tx, String orderId, String sku, long nowMs) throws SQLException {
        PreparedStatement ps = tx.prepare("DELETE FROM label_flash WHERE order_id = ? AND sku = ?");
        ps.setString(1, orderId);
        ps.setString(2, sku);
        if (ps.executeUpdate() > 0) {
            renderSku(tx, sku, nowMs);
        }
    }

    /**
     * Makes failed labels pending again and pushes their desired content (an operator's retry after fixing an
     * access point): all failed labels, or one. Returns how many. Labels without a price stay as they are.
     */
    public int retryFailed(Tx tx, String labelId, long nowMs) throws SQLException {
        List<PushJob> jobs = new ArrayList<>();
        PreparedStatement select = tx.prepare("SELECT label_id, ap, desired_version, priority, content FROM label "
                + "WHERE state = ? AND content IS NOT NULL AND (? IS NULL OR label_id = ?)");
        select.setString(1, FAILED);
        select.setString(2, labelId);
        select.setString(3, labelId);
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                jobs.add(new PushJob(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getInt(4),
                        LabelContent.utf8(rs.getString(5)),
                        0));
            }
        }
        PreparedStatement update =
                tx.prepare("UPDATE label SET state = ?, reason = NULL, since_ms = ? WHERE label_id = ?");
        for (PushJob job : jobs) {
            update.setString(1, PENDING);
            update.setLong(2, nowMs);
            update.setString(3, job.labelId());
            update.executeUpdate();
        }
        tx.handOff(() -> jobs.forEach(pushes));
        return jobs.size();
    }

    /** At start: the pushes of every pending label, so delivery resumes where it stopped. */
    public static List<PushJob> pendingPushes(Connection c) throws SQLException {
        List<PushJob> jobs = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT label_id, ap, desired_version, priority, content FROM label "
                        + "WHERE state = ? AND content IS NOT NULL ORDER BY priority, since_ms")) {
            ps.setString(1, PENDING);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new PushJob(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getInt(4),
                            LabelContent.utf8(rs.getString(5)),
                            0));
                }
            }
        }
        return jobs;
    }

    private static boolean flashing(Tx tx, String sku) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT 1 FROM label_flash WHERE sku = ? LIMIT 1");
        ps.setString(1, sku);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static String priceOf(Tx tx, String labelId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT price FROM label WHERE label_id = ?");
        ps.setString(1, labelId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Row find(Tx tx, String labelId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT label_id, sku, ap, desired_version, content, content_hash, state "
                + "FROM label WHERE label_id = ?");
        ps.setString(1, labelId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? row(rs) : null;
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7));
    }
}
