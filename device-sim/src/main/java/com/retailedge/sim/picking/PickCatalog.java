package com.retailedge.sim.picking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.sim.device.Ean13;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded store catalog (SKUs with EAN-13 GTINs and shelf locations) and online orders over it, written as
 * the cloud's {@code prices} and {@code orders} commands.
 */
final class PickCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> gtinBySku = new LinkedHashMap<>();
    private final List<String> skus = new ArrayList<>();
    private final String runId;
    private final Random rnd;

    PickCatalog(int skuCount, String runId, Random rnd) {
        this.runId = runId;
        this.rnd = rnd;
        for (int i = 1; i <= skuCount; i++) {
            String sku = "SKU-" + i;
            // Prefix 400: an ordinary GTIN, never a variable-measure 2x code.
            String body = String.format("400%09d", 100_000 + i);
            gtinBySku.put(sku, body + Ean13.checkDigit(body));
            skus.add(sku);
        }
    }

    String gtin(String sku) {
        return gtinBySku.get(sku);
    }

    /** A catalog GTIN that is not one of {@code skus}: the wrong item. */
    String otherThan(java.util.Collection<String> notThese) {
        while (true) {
            String sku = skus.get(rnd.nextInt(skus.size()));
            if (!notThese.contains(sku)) {
                return gtinBySku.get(sku);
            }
        }
    }

    /** {@code prices} commands, at most {@code perCommand} items each. */
    List<String> pricesCommands(int perCommand) {
        List<String> commands = new ArrayList<>();
        for (int from = 0; from < skus.size(); from += perCommand) {
            ObjectNode c = JSON.createObjectNode();
            c.put("commandId", runId + "-prices-" + from);
            ArrayNode prices = c.putArray("prices");
            for (String sku : skus.subList(from, Math.min(skus.size(), from + perCommand))) {
                ObjectNode p = prices.addObject();
                p.put("sku", sku);
                p.put("name", "Item " + sku);
                p.put("price", "1.99");
                p.put("currency", "EUR");
                p.putArray("gtins").add(gtinBySku.get(sku));
            }
            commands.add(c.toString());
        }
        return commands;
    }

    /** {@code orders} commands: {@code count} orders of 3-8 distinct SKUs, 1-3 each, due within the hour. */
    List<String> ordersCommands(int count, int perCommand) {
        List<String> commands = new ArrayList<>();
        ObjectNode c = null;
        for (int i = 1; i <= count; i++) {
            if (c == null) {
                c = JSON.createObjectNode();
                c.put("commandId", runId + "-orders-" + i);
                c.putArray("orders");
            }
            ObjectNode o = ((ArrayNode) c.get("orders")).addObject();
            o.put("orderId", runId + "-o" + i);
            o.put("due", Instant.now().plusSeconds(600 + rnd.nextInt(3000)).toString());
            ArrayNode lines = o.putArray("lines");
            List<String> picked = new ArrayList<>();
            int n = 3 + rnd.nextInt(6);
            while (picked.size() < n) {
                String sku = skus.get(rnd.nextInt(skus.size()));
                if (!picked.contains(sku)) {
                    picked.add(sku);
                    ObjectNode l = lines.addObject();
                    l.put("sku", sku);
                    l.put("qty", 1 + rnd.nextInt(3));
                    l.put("location", String.format("%c-%02d", (char) ('A' + rnd.nextInt(12)), 1 + rnd.nextInt(40)));
                }
            }
            if (((ArrayNode) c.get("orders")).size() == perCommand || i == count) {
                commands.add(c.toString());
                c = null;
            }
        }
        return commands;
    }
}
