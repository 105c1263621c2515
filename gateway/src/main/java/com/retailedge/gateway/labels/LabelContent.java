package com.retailedge.gateway.labels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a label shows, rendered from its catalog item at a moment in time: the price the till charges then (the
 * promotion's while it runs, with the regular price beside it), the member price, and {@code flash} while
 * pick-to-light is on. The hash covers everything shown, so an unchanged rendering is never pushed again.
 */
record LabelContent(Map<String, Object> fields, String hash, String price, String priceKey) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static LabelContent render(CatalogItem item, String ap, boolean flash, long nowMs) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sku", item.sku());
        f.put("name", item.name());
        boolean promo = item.promotionActive(nowMs);
        String price = promo ? item.promoPrice() : item.price();
        f.put("price", price);
        f.put("currency", item.currency());
        if (promo) {
            f.put("regularPrice", item.price());
            if (item.promoEndMs() != null) {
                f.put("promotionEnds", Instant.ofEpochMilli(item.promoEndMs()).toString());
            }
        }
        if (item.memberPrice() != null) {
            f.put("memberPrice", item.memberPrice());
        }
        if (flash) {
            f.put("flash", true);
        }
        String priceKey = price + "|" + item.currency() + "|" + f.get("regularPrice") + "|" + item.memberPrice();
        // The access point is part of the hash: a label moved to another access point must be pushed there.
        return new LabelContent(f, sha256(ap + "\n" + write(f)), price, priceKey);
    }

    /** The payload of the CoAP PUT: the fields with the version first. */
    String withVersion(long version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.putAll(fields);
        return write(body);
    }

    /** The price key of stored content, to tell a price change from a cosmetic one. */
    static String priceKeyOf(String storedContent) {
        if (storedContent == null) {
            return null;
        }
        try {
            Map<?, ?> f = JSON.readValue(storedContent, Map.class);
            return f.get("price") + "|" + f.get("currency") + "|" + f.get("regularPrice") + "|" + f.get("memberPrice");
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String write(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
