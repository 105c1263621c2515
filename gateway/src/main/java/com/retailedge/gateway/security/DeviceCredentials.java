package com.retailedge.gateway.security;

import com.retailedge.gateway.domain.DeviceAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The devices' MQTT passwords, from a file of {@code deviceId:$7$...} lines (Mosquitto's password file format).
 * A successful check is remembered as a keyed digest of the password, so a fleet reconnecting after a Wi-Fi drop
 * costs one PBKDF2 run per device and process, not one per connection.
 */
public final class DeviceCredentials {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeviceCredentials.class);
    private final Map<String, PasswordHash> hashes;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final byte[] cacheKey = new byte[32];

    private DeviceCredentials(Map<String, PasswordHash> hashes) {
        this.hashes = hashes;
        new SecureRandom().nextBytes(cacheKey);
    }

    /** Reads the file (which must be private to the gateway user); errors name the line, never its content. */
    public static DeviceCredentials load(Path file) throws IOException {
        PrivateFiles.requirePrivateFile(file, "credentials file", "mqtt.credentials-file");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, PasswordHash> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = "credentials file " + file + " line " + (i + 1);
            if (colon <= 0 || !DeviceAddress.isValidDeviceId(line.substring(0, colon))) {
                throw new IOException(where + ": expected deviceId:$7$iterations$salt$hash");
            }
            try {
                hashes.put(line.substring(0, colon), PasswordHash.parse(line.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage());
            }
        }
        long weak = hashes.values().stream()
                .filter(h -> h.iterations() < HashPasswordCommand.WEAK_ITERATIONS)
                .count();
        if (weak > 0) {
            LOG.warn(
                    "{} of {} device password hashes in {} use fewer than {} PBKDF2 iterations: remake them with "
                            + "hash-password",
                    weak,
                    hashes.size(),
                    file,
                    HashPasswordCommand.WEAK_ITERATIONS);
        }
        return new DeviceCredentials(Map.copyOf(hashes));
    }

    public int size() {
        return hashes.size();
    }

    /** True when {@code deviceId} has credentials and {@code password} is theirs. May take ~100 ms: not on an event loop. */
    public boolean verify(String deviceId, byte[] password) {
        PasswordHash hash = deviceId == null ? null : hashes.get(deviceId);
        if (hash == null || password == null) {
            return false;
        }
        byte[] digest = digest(password);
        byte[] known = verified.get(deviceId);
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true;
        }
        char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
        boolean ok = hash.matches(chars);
        Arrays.fill(chars, '\0');
        if (ok) {
            verified.put(deviceId, digest);
        }
        return ok;
    }

    private byte[] digest(byte[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            return mac.doFinal(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "DeviceCredentials[" + hashes.size() + " devices]";
    }
}
