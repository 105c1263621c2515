package com.retailedge.gateway.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.Capabilities;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.DeadLetters;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import com.retailedge.gateway.store.Tx;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud commands on {@code retail/{storeId}/commands/{kind}}: applied once per {@code commandId}, in one
 * transaction with the record that they were applied. A command that cannot be applied is a dead letter
 * and is reported up as {@code retail.command.rejected}.
 */
public final class CommandIntake {
    private static final Logger LOG = LoggerFactory.getLogger(CommandIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What became of one command. */
    public enum Outcome {
        APPLIED,
        DUPLICATE,
        REJECTED
    }

    private final String topicPrefix;
    private final SqliteWriter writer;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Map<String, CommandHandler> handlers;
    private final Map<String, List<CommandHandler>> followers;

    /**
     * The intake with the catalog's own kinds ({@code prices}, {@code bindings}) and every capability's. A follower
     * runs after the main handler of its kind, in the same savepoint: a capability that reads more of a command
     * another part owns (labels re-render after {@code prices} and {@code bindings}); its rejection refuses the
     * whole command.
     */
    public CommandIntake(
            String storeId,
            SqliteWriter writer,
            Outbox outbox,
            DeadLetters deadLetters,
            DeviceRegistry registry,
            Capabilities capabilities) {
        this.topicPrefix = "retail/" + storeId + "/commands/";
        this.writer = writer;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        Map<String, CommandHandler> kinds = new LinkedHashMap<>();
        kinds.put("prices", new PricesCommand());
        kinds.put("bindings", new BindingsCommand(registry));
        capabilities.commands().forEach((kind, handler) -> {
            if (kinds.putIfAbsent(kind, handler) != null) {
                throw new IllegalStateException("command kind '" + kind + "' already has a handler");
            }
        });
        this.handlers = Map.copyOf(kinds);
        this.followers = capabilities.followers();
    }

    /** The command kinds that have a handler, sorted; docs/protocol.md is held to this list. */
    public java.util.SortedSet<String> kinds() {
        return new java.util.TreeSet<>(handlers.keySet());
    }

    /** Applies a command; the future completes once its outcome is durable. */
    public CompletableFuture<Outcome> receive(String topic, byte[] payload) {
        return writer.submit(tx -> apply(tx, topic, payload));
    }

    private Outcome apply(Tx tx, String topic, byte[] payload) throws Exception {
        String kind = topic.startsWith(topicPrefix) ? topic.substring(topicPrefix.length()) : topic;
        JsonNode command;
        try {
            command = JSON.readTree(payload);
        } catch (IOException e) {
            return reject(tx, topic, kind, null, payload, new Rejection(RejectReason.NOT_JSON, "command is not JSON"));
        }
        if (command == null
                || !command.isObject()
                || !command.path("commandId").isTextual()
                || command.get("commandId").textValue().isBlank()) {
            return reject(
                    tx,
                    topic,
                    kind,
                    null,
                    payload,
                    new Rejection(RejectReason.MISSING_FIELD, "command needs a JSON object with a 'commandId' string"));
        }
        String commandId = command.get("commandId").textValue();
        if (alreadySeen(tx, commandId)) {
            return Outcome.DUPLICATE;
        }
        CommandHandler handler = handlers.get(kind);
        if (handler == null) {
            return reject(
                    tx,
                    topic,
                    kind,
                    commandId,
                    payload,
                    new Rejection(
                            RejectReason.UNKNOWN_COMMAND,
                            "command kind '" + kind + "' is not handled by this gateway"));
        }
        try {
            // In its own savepoint: a handler that wrote, appended events or queued pushes and then refused leaves
            // nothing behind, not in SQLite, not in the outbox's sequence, not in the hooks that run after commit.
            String summary = tx.savepoint(scope -> {
                String applied = handler.apply(scope, command);
                for (CommandHandler follower : followers.getOrDefault(kind, List.of())) {
                    applied += "; " + follower.apply(scope, command);
                }
                return applied;
            });
            remember(tx, commandId, kind, "applied");
            LOG.info("applied {} command {}: {}", kind, commandId, summary);
            return Outcome.APPLIED;
        } catch (Rejection rejection) {
            return reject(tx, topic, kind, commandId, payload, rejection);
        }
    }

    private Outcome reject(Tx tx, String topic, String kind, String commandId, byte[] payload, Rejection rejection)
            throws SQLException {
        LOG.debug("rejected command on {}: {}", topic, rejection);
        deadLetters.record(tx, Transport.CLOUD.wire(), topic, null, rejection, payload);
        if (commandId != null) {
            remember(tx, commandId, kind, rejection.reason().code());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("commandId", commandId);
        data.put("kind", kind);
        data.put("reason", rejection.reason().code());
        data.put("detail", rejection.detail());
        outbox.append(tx, EventTypes.COMMAND_REJECTED, commandId == null ? kind : commandId, data);
        return Outcome.REJECTED;
    }

    private static boolean alreadySeen(Tx tx, String commandId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT 1 FROM applied_command WHERE command_id = ?");
        ps.setString(1, commandId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static void remember(Tx tx, String commandId, String kind, String outcome) throws SQLException {
        PreparedStatement ps =
                tx.prepare("INSERT INTO applied_command (command_id, kind, applied_ms, outcome) VALUES (?, ?, ?, ?)");
        ps.setString(1, commandId);
        ps.setString(2, kind);
        ps.setLong(3, System.currentTimeMillis());
        ps.setString(4, outcome);
        ps.executeUpdate();
    }
}
