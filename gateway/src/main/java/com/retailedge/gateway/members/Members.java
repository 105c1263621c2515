package com.retailedge.gateway.members;

import com.retailedge.gateway.config.ConfigException;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.notices.StaffNotices;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capability;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.Prune;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires member recognition: the {@code members} command, the recognition effect, the dead-letter redaction
 * and the {@code members} summary. Checks at start that the key still is the one the cache was hashed with.
 */
public final class Members {
    private static final Logger LOG = LoggerFactory.getLogger(Members.class);
    private static final String FINGERPRINT = "members.ref-key.fingerprint";

    private Members() {}

    /** The capability on the system clock. */
    public static Capability create(
            GatewayConfig config, SqliteWriter writer, Outbox outbox, StaffNotices notices, MeterRegistry metrics)
            throws SQLException, InterruptedException {
        return create(config, writer, outbox, notices, InstantSource.system(), metrics);
    }

    /**
     * Builds the capability, its visit window on {@code clock}; refuses (naming {@code members.ref-key}) when
     * members are stored but the key is missing or not the one they were hashed with.
     */
    public static Capability create(
            GatewayConfig config,
            SqliteWriter writer,
            Outbox outbox,
            StaffNotices notices,
            InstantSource clock,
            MeterRegistry metrics)
            throws SQLException, InterruptedException {
        String key = config.members().refKey();
        RefHasher hasher = key.isEmpty() ? null : new RefHasher(key);
        try {
            writer.submit(tx -> checkKey(tx, hasher)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException c) {
                throw c;
            }
            throw new SQLException("checking members.ref-key failed", e.getCause());
        }
        if (hasher == null) {
            LOG.info("members.ref-key is not set: members commands are refused and every recognition is unknown");
        }
        return Capability.named("members")
                .handles("members", new MembersCommand(hasher))
                .onAccepted(
                        Channel.RECOGNITION,
                        new Recognitions(
                                hasher, config.members(), config.membersVisitWindow(), outbox, notices, clock, metrics))
                .prunes(Prune.rows("member_visit", "visit_id", "last_seen_ms < :before"))
                .prunes(Prune.rows("member_miss", "id", "at_ms < :before"))
                .summary(new MembersSummary())
                .build();
    }

    /** What dead letters keep of a payload: never a raw member reference (a recognition or reader payload). */
    public static DeadLetters.PayloadFilter deadLetterFilter() {
        return new RefRedactor();
    }

    private static Void checkKey(Tx tx, RefHasher hasher) throws SQLException {
        boolean cached;
        try (ResultSet rs =
                tx.prepare("SELECT EXISTS (SELECT 1 FROM member_ref)").executeQuery()) {
            cached = rs.next() && rs.getInt(1) == 1;
        }
        Long stored = null;
        PreparedStatement select = tx.prepare("SELECT value FROM gateway_state WHERE name = ?");
        select.setString(1, FINGERPRINT);
        try (ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
                stored = rs.getLong(1);
            }
        }
        if (hasher == null) {
            if (cached) {
                throw new ConfigException(
                        "members.ref-key",
                        "must be set: the member cache holds references hashed " + "with it (at least 32 characters)");
            }
            return null;
        }
        long fingerprint = hasher.fingerprint();
        if (cached && stored != null && stored != fingerprint) {
            throw new ConfigException(
                    "members.ref-key",
                    "is not the key the member cache was hashed with; restore "
                            + "the old key, or delete the member cache and have the cloud send the members again");
        }
        PreparedStatement upsert = tx.prepare("INSERT INTO gateway_state (name, value) VALUES (?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        upsert.setString(1, FINGERPRINT);
        upsert.setLong(2, fingerprint);
        upsert.executeUpdate();
        return null;
    }
}
