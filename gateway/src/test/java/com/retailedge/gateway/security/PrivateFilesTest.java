package com.retailedge.gateway.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void a_missing_data_dir_is_created_for_the_owner_only() throws Exception {
        Path data = dir.resolve("a/b/data");
        PrivateFiles.prepareDataDir(data);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        PrivateFiles.prepareDataDir(data);
    }

    @Test
    void a_data_dir_others_can_read_is_refused_naming_the_path_and_the_fix() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        IOException e = assertThrows(IOException.class, () -> PrivateFiles.prepareDataDir(data));
        assertTrue(e.getMessage().contains("chmod 700 " + data.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains("data.dir"), e.getMessage());
    }

    @Test
    void a_key_file_the_group_can_read_is_refused_and_a_private_one_taken() throws Exception {
        Path key = Files.writeString(dir.resolve("psk"), "button-1:00112233445566778899aabbccddeeff\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        IOException e = assertThrows(IOException.class, () -> PskKeys.load(key));
        assertTrue(e.getMessage().contains("chmod 600 " + key.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains("coap.psk-file"), e.getMessage());

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertEquals(16, PskKeys.load(key).all().get("button-1").length);
    }
}
