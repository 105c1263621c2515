package com.retailedge.gateway.replenishment;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.config.Durations;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cloud's {@code replenishment} command (CONTRACT §4): {@code {"commandId","skus":[{"sku","leadTime",
 * "reviewPeriod"?,"packSize","serviceLevel","maxStock"?}]}}. Every entry is checked before any is applied; a
 * bad one refuses the whole command (dead letter and {@code retail.command.rejected}).
 */
public final class ReplenishmentCommand implements CommandHandler {
    private static final int MAX_SKUS = 100_000;
    private static final Duration MAX_SPAN = Duration.ofDays(365);

    private final ReplenishmentPlanner planner;

    public ReplenishmentCommand(ReplenishmentPlanner planner) {
        this.planner = planner;
    }

    record Entry(String sku, Settings settings) {}

    @Override
    public String apply(Tx tx, JsonNode command) throws Rejection, SQLException {
        JsonNode list = command.get("skus");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_SKUS) {
            throw bad("'skus' must be a list of 1.." + MAX_SKUS + " entries");
        }
        List<Entry> entries = new ArrayList<>(list.size());
        for (JsonNode node : list) {
            entries.add(read(node, "skus[" + entries.size() + "]"));
        }
        String commandId = command.get("commandId").textValue();
        for (Entry e : entries) {
            planner.configure(tx, e.sku(), e.settings(), commandId);
        }
        return entries.size() + " SKUs";
    }

    static Entry read(JsonNode entry, String where) throws Rejection {
        if (!entry.isObject()) {
            throw bad(where + " must be an object");
        }
        JsonNode sku = entry.get("sku");
        if (sku == null
                || !sku.isTextual()
                || sku.textValue().isBlank()
                || sku.textValue().length() > 256) {
            throw bad(where + ": 'sku' must be a non-empty string");
        }
        Duration lead = duration(entry, "leadTime", where, true);
        if (lead.isZero()) {
            throw bad(where + ": 'leadTime' must be longer than 0");
        }
        Duration review =
                entry.hasNonNull("reviewPeriod") ? duration(entry, "reviewPeriod", where, false) : Duration.ZERO;
        JsonNode pack = entry.get("packSize");
        if (pack == null || !pack.isIntegralNumber() || pack.longValue() < 1 || pack.longValue() > 1_000_000) {
            throw bad(where + ": 'packSize' must be a whole number 1..1000000");
        }
        JsonNode level = entry.get("serviceLevel");
        if (level == null || !level.isNumber() || !(level.doubleValue() >= 0.5 && level.doubleValue() <= 0.999)) {
            throw bad(where + ": 'serviceLevel' must be a number 0.5..0.999");
        }
        Long maxStock = null;
        if (entry.hasNonNull("maxStock")) {
            JsonNode max = entry.get("maxStock");
            if (!max.isIntegralNumber() || max.longValue() < pack.longValue() || max.longValue() > 1_000_000_000L) {
                throw bad(where + ": 'maxStock' must be a whole number from packSize to 1000000000");
            }
            maxStock = max.longValue();
        }
        return new Entry(sku.textValue(), new Settings(lead, review, pack.intValue(), level.doubleValue(), maxStock));
    }

    /** A duration as the config writes it ({@code 2d}, {@code 36h}) or ISO-8601 ({@code P2D}). */
    private static Duration duration(JsonNode entry, String name, String where, boolean required) throws Rejection {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw bad(where + ": '" + name + "' is missing");
            }
            return Duration.ZERO;
        }
        if (!value.isTextual()) {
            throw bad(where + ": '" + name + "' must be a duration string like 2d, 36h or P2D");
        }
        Duration d;
        try {
            String text = value.textValue();
            d = text.startsWith("P") || text.startsWith("p") ? Duration.parse(text) : Durations.parse(text);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw bad(where + ": '" + name + "' must be a duration string like 2d, 36h or P2D");
        }
        if (d.isNegative() || d.compareTo(MAX_SPAN) > 0) {
            throw bad(where + ": '" + name + "' must be 0..365d");
        }
        return d;
    }

    private static Rejection bad(String detail) {
        return new Rejection(RejectReason.BAD_COMMAND, detail);
    }
}
