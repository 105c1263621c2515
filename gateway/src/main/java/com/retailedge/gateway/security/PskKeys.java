package com.retailedge.gateway.security;

import com.retailedge.gateway.domain.DeviceAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The CoAP devices' DTLS pre-shared keys, from a file of {@code identity:hexkey} lines (the format of Mosquitto's
 * {@code psk_file}); the identity is the device id. Errors name the line, never the key.
 */
public final class PskKeys {
    private final Map<String, byte[]> keys;

    private PskKeys(Map<String, byte[]> keys) {
        this.keys = keys;
    }

    public static PskKeys load(Path file) throws IOException {
        PrivateFiles.requirePrivateFile(file, "PSK file", "coap.psk-file");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, byte[]> keys = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = "PSK file " + file + " line " + (i + 1);
            if (colon <= 0 || !DeviceAddress.isValidDeviceId(line.substring(0, colon))) {
                throw new IOException(where + ": expected deviceId:hexkey");
            }
            byte[] key;
            try {
                key = HexFormat.of().parseHex(line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": the key is not hexadecimal");
            }
            if (key.length < 16 || key.length > 64) {
                throw new IOException(where + ": the key must be 16..64 bytes (32..128 hex digits); make one with "
                        + "'openssl rand -hex 16'");
            }
            keys.put(line.substring(0, colon), key);
        }
        return new PskKeys(Map.copyOf(keys));
    }

    /** Identity (device id) to key; the arrays are the caller's to copy, not to change. */
    public Map<String, byte[]> all() {
        return keys;
    }

    @Override
    public String toString() {
        return "PskKeys[" + keys.size() + " identities]";
    }
}
