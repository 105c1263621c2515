package com.retailedge.gateway.members;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.Tx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code members}: adds or updates members of the cache, each with tier, consent and recognition references.
 * The references given replace the member's earlier ones and are stored only as keyed hashes; a member without
 * consent keeps none, so withdrawing consent removes the references at once. {@code "remove": true} deletes a
 * member. Every entry is checked before any is applied; refusals never quote a reference.
 */
final class MembersCommand implements CommandHandler {
    private static final Set<String> TIERS = Set.of("L1", "L2", "L3", "L4");
    private static final Set<String> METHODS = Set.of("face", "qr", "card");
    private static final int MAX_TEXT = 256;
    private static final int MAX_NOTES = 1000;

    private final RefHasher hasher;

    /** @param hasher null when {@code members.ref-key} is not set: then every command is refused */
    MembersCommand(RefHasher hasher) {
        this.hasher = hasher;
    }

    private record Ref(String method, String hash) {}

    private record Member(
            String memberId,
            String tier,
            boolean consent,
            String greeting,
            String notes,
            List<Ref> refs,
            boolean remove) {}

    @Override
    public String apply(Tx tx, JsonNode command) throws Rejection, SQLException {
        if (hasher == null) {
            throw bad("members.ref-key is not set on this gateway, so it cannot keep member references");
        }
        JsonNode list = command.get("members");
        if (list == null || !list.isArray()) {
            throw bad("'members' must be a list");
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            members.add(read(list.get(i), "members[" + i + "]"));
        }
        refuseSharedRefs(members);
        int refs = 0;
        for (Member m : members) {
            deleteRefs(tx, m.memberId());
            if (m.remove()) {
                PreparedStatement ps = tx.prepare("DELETE FROM member WHERE member_id = ?");
                ps.setString(1, m.memberId());
                ps.executeUpdate();
                continue;
            }
            upsert(tx, m);
            if (m.consent()) {
                for (Ref ref : m.refs()) {
                    insertRef(tx, m.memberId(), ref);
                    refs++;
                }
            }
        }
        return members.size() + " members, " + refs + " references";
    }

    private Member read(JsonNode entry, String where) throws Rejection {
        if (!entry.isObject()) {
            throw bad(where + " must be an object");
        }
        String memberId = text(entry, "memberId", where, MAX_TEXT);
        if (entry.path("remove").asBoolean(false)) {
            return new Member(memberId, null, false, null, null, List.of(), true);
        }
        String tier = text(entry, "tier", where, MAX_TEXT);
        if (!TIERS.contains(tier)) {
            throw bad(
                    where + ": 'tier' must be one of " + TIERS.stream().sorted().toList());
        }
        JsonNode consent = entry.get("consent");
        if (consent == null || !consent.isBoolean()) {
            throw bad(where + ": 'consent' must be true or false");
        }
        String greeting = entry.hasNonNull("greeting") ? text(entry, "greeting", where, MAX_TEXT) : null;
        String notes = entry.hasNonNull("notes") ? text(entry, "notes", where, MAX_NOTES) : null;
        List<Ref> refs = new ArrayList<>();
        JsonNode list = entry.path("refs");
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            throw bad(where + ": 'refs' must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode ref = list.get(i);
            String at = where + ".refs[" + i + "]";
            if (!ref.isObject()) {
                throw bad(at + " must be an object");
            }
            String method = text(ref, "method", at, MAX_TEXT);
            if (!METHODS.contains(method)) {
                throw bad(at + ": 'method' must be one of "
                        + METHODS.stream().sorted().toList());
            }
            // Hashed at once: the raw reference goes no further than this line.
            refs.add(new Ref(method, hasher.hash(method, text(ref, "ref", at, MAX_TEXT))));
        }
        return new Member(memberId, tier, consent.booleanValue(), greeting, notes, refs, false);
    }

    /**
     * One reference recognises one member: a command that gives the same reference to two members is refused whole,
     * since which of them the camera saw would depend on the order of the lines. (Across commands the latest wins:
     * {@link #insertRef}.) The refusal names the members, never the reference.
     */
    private static void refuseSharedRefs(List<Member> members) throws Rejection {
        java.util.Map<String, String> owner = new java.util.HashMap<>();
        for (Member m : members) {
            if (m.remove() || !m.consent()) {
                continue;
            }
            for (Ref ref : m.refs()) {
                String first = owner.putIfAbsent(ref.hash(), m.memberId());
                if (first != null && !first.equals(m.memberId())) {
                    throw bad("members '" + first + "' and '" + m.memberId() + "' are given the same " + ref.method()
                            + " reference; one reference belongs to one member");
                }
            }
        }
    }

    private static void upsert(Tx tx, Member m) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO member (member_id, tier, consent, greeting, notes, updated_ms) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET tier = excluded.tier, "
                + "consent = excluded.consent, greeting = excluded.greeting, notes = excluded.notes, "
                + "updated_ms = excluded.updated_ms");
        ps.setString(1, m.memberId());
        ps.setString(2, m.tier());
        ps.setInt(3, m.consent() ? 1 : 0);
        ps.setString(4, m.greeting());
        ps.setString(5, m.notes());
        ps.setLong(6, System.currentTimeMillis());
        ps.executeUpdate();
    }

    private static void deleteRefs(Tx tx, String memberId) throws SQLException {
        PreparedStatement ps = tx.prepare("DELETE FROM member_ref WHERE member_id = ?");
        ps.setString(1, memberId);
        ps.executeUpdate();
    }

    /** A reference given to another member moves to this one: the cloud's latest word wins. */
    private static void insertRef(Tx tx, String memberId, Ref ref) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO member_ref (ref_hash, member_id, method) VALUES (?, ?, ?) "
                + "ON CONFLICT (ref_hash) DO UPDATE SET member_id = excluded.member_id, method = excluded.method");
        ps.setString(1, ref.hash());
        ps.setString(2, memberId);
        ps.setString(3, ref.method());
        ps.executeUpdate();
    }

    /** Never quotes the value: it may be a member reference. */
    private static String text(JsonNode node, String name, String where, int max) throws Rejection {
        JsonNode value = node.get(name);
        if (value == null
                || !value.isTextual()
                || value.textValue().isBlank()
                || value.textValue().length() > max) {
            throw bad(where + ": '" + name + "' must be a non-empty string of at most " + max + " characters");
        }
        return value.textValue();
    }

    private static Rejection bad(String detail) {
        return new Rejection(RejectReason.BAD_COMMAND, detail);
    }
}
