package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.spi.CommandHandler;
import com.retailedge.gateway.store.Tx;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cloud's {@code prices} and {@code bindings} commands mean for labels. They run after the commands' own
 * handlers (which validated the required fields and wrote catalog and registry), in the same savepoint.
 */
final class LabelCommands {
    private final LabelBook book;

    LabelCommands(LabelBook book) {
        this.book = book;
    }

    /** Reads the optional price fields (all entries first, so a bad one refuses the command), then re-renders. */
    CommandHandler prices() {
        return (Tx tx, JsonNode command) -> {
            JsonNode list = command.get("prices");
            List<PriceFields> fields = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                fields.add(PriceFields.read(list.get(i), "prices[" + i + "]"));
            }
            long now = System.currentTimeMillis();
            int changed = 0;
            for (int i = 0; i < list.size(); i++) {
                String sku = list.get(i).get("sku").textValue();
                fields.get(i).store(tx, sku);
                changed += book.renderSku(tx, sku, now);
            }
            return changed + " labels changed";
        };
    }

    CommandHandler bindings() {
        return (Tx tx, JsonNode command) -> bind(tx, command);
    }

    private String bind(Tx tx, JsonNode command) throws Rejection, SQLException {
        long now = System.currentTimeMillis();
        int bound = 0;
        for (JsonNode entry : command.get("bindings")) {
            String deviceId = entry.get("deviceId").textValue();
            if ("label".equals(entry.path("kind").asText())
                    && !entry.path("remove").asBoolean(false)) {
                book.bind(
                        tx,
                        deviceId,
                        entry.get("sku").textValue(),
                        entry.get("ap").textValue(),
                        now);
                bound++;
            } else {
                book.unbind(tx, deviceId);
            }
        }
        return bound + " labels bound";
    }
}
