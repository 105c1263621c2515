package com.retailedge.gateway.labels.push;

import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.security.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The gateway's own DTLS pre-shared keys towards access points ({@code labels.ap-psk-file}): lines of
 * {@code apDeviceId:identity:hexkey}, so each access point can know the gateway under the identity it was given.
 * The file must be private like every key file; errors name the line, never the key.
 */
public final class ApPskFile {
    /** The identity and key the gateway presents to one access point. */
    public record ApPsk(String identity, byte[] key) {
        @Override
        public String toString() {
            return "ApPsk[" + identity + "]";
        }
    }

    private ApPskFile() {}

    /** Access point device id to its PSK; empty when {@code file} is null (no access point uses coaps). */
    public static Map<String, ApPsk> load(Path file) throws IOException {
        if (file == null) {
            return Map.of();
        }
        PrivateFiles.requirePrivateFile(file, "access point PSK file", "labels.ap-psk-file");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, ApPsk> keys = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "access point PSK file " + file + " line " + (i + 1);
            String[] parts = line.split(":", 3);
            if (parts.length != 3 || !DeviceAddress.isValidDeviceId(parts[0]) || parts[1].isEmpty()) {
                throw new IOException(where + ": expected apDeviceId:identity:hexkey");
            }
            byte[] key;
            try {
                key = HexFormat.of().parseHex(parts[2]);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": the key is not hexadecimal");
            }
            if (key.length < 16 || key.length > 64) {
                throw new IOException(where + ": the key must be 16..64 bytes (32..128 hex digits); make one with "
                        + "'openssl rand -hex 16'");
            }
            if (keys.put(parts[0], new ApPsk(parts[1], key)) != null) {
                throw new IOException(where + ": access point " + parts[0] + " is listed twice");
            }
        }
        return Map.copyOf(keys);
    }
}
