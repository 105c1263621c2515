package com.retailedge.gateway.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** What a label shows at a moment, and which changes count as price changes. */
class LabelContentTest {
    private static final long NOW = 1_000_000;
    private static final CatalogItem MILK =
            new CatalogItem("MILK-1", "Milk", "1.19", "EUR", "0.89", NOW - 10, NOW + 10, null);

    @Test
    void a_running_promotion_is_the_price_with_the_regular_price_beside_it() throws Exception {
        LabelContent during = LabelContent.render(MILK, "ap-1", false, NOW);
        JsonNode shown = new ObjectMapper().readTree(during.withVersion(4));
        assertEquals(4, shown.get("version").asLong());
        assertEquals("0.89", shown.get("price").asText());
        assertEquals("1.19", shown.get("regularPrice").asText());
        assertEquals("1.19", LabelContent.render(MILK, "ap-1", false, NOW + 10).price(), "the end is exclusive");
        assertEquals("1.19", LabelContent.render(MILK, "ap-1", false, NOW - 11).price());
    }

    @Test
    void the_hash_changes_with_what_is_shown_and_the_price_key_only_with_prices() {
        LabelContent base = LabelContent.render(MILK, "ap-1", false, NOW);
        assertEquals(
                base.hash(), LabelContent.render(MILK, "ap-1", false, NOW + 1).hash(), "same rendering, same hash");
        LabelContent renamed = LabelContent.render(
                new CatalogItem("MILK-1", "Milk 1l", "1.19", "EUR", "0.89", NOW - 10, NOW + 10, null),
                "ap-1",
                false,
                NOW);
        LabelContent flashing = LabelContent.render(MILK, "ap-1", true, NOW);
        LabelContent moved = LabelContent.render(MILK, "ap-2", false, NOW);
        for (LabelContent cosmetic : new LabelContent[] {renamed, flashing, moved}) {
            assertNotEquals(base.hash(), cosmetic.hash());
            assertEquals(LabelContent.priceKeyOf(base.withVersion(1)), cosmetic.priceKey());
        }
        LabelContent member = LabelContent.render(
                new CatalogItem("MILK-1", "Milk", "1.19", "EUR", "0.89", NOW - 10, NOW + 10, "0.79"),
                "ap-1",
                false,
                NOW);
        assertNotEquals(LabelContent.priceKeyOf(base.withVersion(1)), member.priceKey());
        assertFalse(base.fields().containsKey("flash"));
    }
}
