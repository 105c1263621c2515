package com.retailedge.gateway.members;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a member reference under the store's secret ({@code members.ref-key}). Keyed, so the hashes in
 * SQLite cannot be reversed by hashing every card number; the method is part of the input, so the same text as
 * a card and as a QR code are different references.
 */
final class RefHasher {
    private final Mac prototype;

    RefHasher(String key) {
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    String hash(String method, String ref) {
        return HexFormat.of().formatHex(mac().doFinal((method + ":" + ref).getBytes(StandardCharsets.UTF_8)));
    }

    /** Identifies the key without revealing it, so a changed key is noticed before it makes the cache useless. */
    long fingerprint() {
        return ByteBuffer.wrap(mac().doFinal("members.ref-key fingerprint".getBytes(StandardCharsets.UTF_8)))
                .getLong();
    }

    private Mac mac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
        }
    }
}
