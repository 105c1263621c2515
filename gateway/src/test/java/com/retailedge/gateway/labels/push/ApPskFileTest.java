package com.retailedge.gateway.labels.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code labels.ap-psk-file}: private like every key file, one {@code apDeviceId:identity:hexkey} per line. */
class ApPskFileTest {
    private static final String HEX = "00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    @Test
    void reads_each_access_points_identity_and_key() throws Exception {
        Map<String, ApPskFile.ApPsk> keys =
                ApPskFile.load(file("# comment\n\nap-1:gw-s001:" + HEX + "\nap-2:gw-2:" + HEX, "rw-------"));
        assertEquals("gw-s001", keys.get("ap-1").identity());
        assertArrayEquals(HexFormat.of().parseHex(HEX), keys.get("ap-1").key());
        assertEquals(2, keys.size());
        assertFalse(keys.get("ap-1").toString().contains(HEX), "a key never reaches a log line");
        assertTrue(ApPskFile.load(null).isEmpty(), "no file: no coaps access points");
    }

    @Test
    void refuses_a_readable_file_and_bad_lines_without_showing_the_key() throws Exception {
        IOException open = assertThrows(IOException.class, () -> ApPskFile.load(file("ap-1:gw:" + HEX, "rw-r--r--")));
        assertTrue(
                open.getMessage().contains("labels.ap-psk-file")
                        && open.getMessage().contains("chmod 600"),
                open.getMessage());
        for (String bad : new String[] {
            "ap-1:" + HEX, "ap-1::" + HEX, "ap-1:gw:zz" + HEX, "ap-1:gw:0011", "ap-1:gw:" + HEX + "\nap-1:gw2:" + HEX
        }) {
            IOException e = assertThrows(IOException.class, () -> ApPskFile.load(file(bad, "rw-------")), bad);
            assertTrue(e.getMessage().contains("line"), e.getMessage());
            assertFalse(e.getMessage().contains(HEX), e.getMessage());
        }
    }

    private Path file(String text, String mode) throws IOException {
        Path file = Files.createTempFile(dir, "ap-psk", ".txt");
        Files.writeString(file, text + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
