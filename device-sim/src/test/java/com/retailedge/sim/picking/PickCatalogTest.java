package com.retailedge.sim.picking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.sim.device.Ean13;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pickers' catalog and orders are valid cloud commands the gateway accepts. */
class PickCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void catalog_gtins_are_valid_distinct_and_never_variable_measure() throws Exception {
        PickCatalog catalog = new PickCatalog(1200, "run1", new Random(7));
        Set<String> gtins = new HashSet<>();
        int items = 0;
        for (String command : catalog.pricesCommands(500)) {
            JsonNode prices = JSON.readTree(command).get("prices");
            assertTrue(prices.size() <= 500);
            for (JsonNode p : prices) {
                String gtin = p.get("gtins").get(0).asText();
                assertTrue(Ean13.isValid(gtin), gtin);
                assertFalse(gtin.startsWith("2"), gtin);
                assertTrue(gtins.add(gtin), "distinct: " + gtin);
                assertEquals(gtin, catalog.gtin(p.get("sku").asText()));
                items++;
            }
        }
        assertEquals(1200, items);
    }

    @Test
    void orders_have_three_to_eight_distinct_skus_with_a_location_and_unique_ids() throws Exception {
        PickCatalog catalog = new PickCatalog(50, "run2", new Random(7));
        List<String> commands = catalog.ordersCommands(250, 100);
        assertEquals(3, commands.size());
        Set<String> orderIds = new HashSet<>();
        Set<String> commandIds = new HashSet<>();
        for (String command : commands) {
            JsonNode c = JSON.readTree(command);
            assertTrue(commandIds.add(c.get("commandId").asText()));
            for (JsonNode order : c.get("orders")) {
                assertTrue(orderIds.add(order.get("orderId").asText()));
                JsonNode lines = order.get("lines");
                assertTrue(lines.size() >= 3 && lines.size() <= 8, order.toString());
                Set<String> skus = new HashSet<>();
                for (JsonNode line : lines) {
                    assertTrue(skus.add(line.get("sku").asText()), "distinct SKUs: " + order);
                    assertTrue(line.get("qty").asInt() >= 1 && line.get("qty").asInt() <= 3);
                    assertTrue(line.get("location").asText().matches("[A-L]-\\d{2}"));
                }
            }
        }
        assertEquals(250, orderIds.size());
        String wrong = catalog.otherThan(Set.of("SKU-1", "SKU-2"));
        assertFalse(wrong.equals(catalog.gtin("SKU-1")) || wrong.equals(catalog.gtin("SKU-2")));
    }
}
