package com.retailedge.gateway.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA512 password hashes written exactly like Mosquitto's password file ({@code $7$iterations$salt$hash},
 * base64 salt of 12 bytes and hash of 64 bytes), so one file made by {@code mosquitto_passwd} or by
 * {@code gateway hash-password} serves both the embedded gateway and an external Mosquitto.
 */
public final class PasswordHash {
    /** Dearer than Mosquitto's 101: a stolen file must not give the passwords away cheaply. */
    public static final int DEFAULT_ITERATIONS = 100_000;

    private static final int SALT_BYTES = 12;
    private static final int HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes a password with a fresh random salt. */
    public static PasswordHash create(char[] password, int iterations) {
        if (iterations < 1 || iterations > 10_000_000) {
            throw new IllegalArgumentException("iterations must be 1..10000000");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /** Parses {@code $7$iterations$salt$hash}; the message never repeats the text, which is secret-ish. */
    public static PasswordHash parse(String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals("7")) {
            throw new IllegalArgumentException(
                    "not a $7$ (PBKDF2-SHA512) hash; make it with 'gateway hash-password' " + "or 'mosquitto_passwd'");
        }
        try {
            int iterations = Integer.parseInt(parts[2]);
            byte[] salt = Base64.getDecoder().decode(parts[3]);
            byte[] hash = Base64.getDecoder().decode(parts[4]);
            if (iterations < 1 || salt.length == 0 || hash.length != HASH_BYTES) {
                throw new IllegalArgumentException("bad $7$ hash fields");
            }
            return new PasswordHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a $7$ hash with bad iterations, salt or hash field");
        }
    }

    /** PBKDF2 iterations of this hash. */
    public int iterations() {
        return iterations;
    }

    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    public String encoded() {
        return "$7$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }

    @Override
    public String toString() {
        return "PasswordHash[hidden]";
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is missing from this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
