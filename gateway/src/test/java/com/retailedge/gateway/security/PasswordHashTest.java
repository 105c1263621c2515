package com.retailedge.gateway.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The $7$ hashes are Mosquitto's: a file from mosquitto_passwd works for the gateway, and ours hash correctly. */
class PasswordHashTest {
    @TempDir
    Path dir;

    @Test
    void a_password_file_made_by_mosquitto_passwd_is_read_and_checked() throws Exception {
        Path file = dir.resolve("passwd");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", file.toString(), "pda-1", "s3cret-pda-1")
                .redirectErrorStream(true)
                .start();
        assertTrue(
                p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                new String(p.getInputStream().readAllBytes()));

        DeviceCredentials credentials = DeviceCredentials.load(file);
        assertEquals(1, credentials.size());
        assertTrue(credentials.verify("pda-1", bytes("s3cret-pda-1")));
        assertTrue(credentials.verify("pda-1", bytes("s3cret-pda-1")), "again, from the verified cache");
        assertFalse(credentials.verify("pda-1", bytes("s3cret-pda-2")));
        assertFalse(credentials.verify("pda-2", bytes("s3cret-pda-1")), "unknown device");
        assertFalse(credentials.verify("pda-1", null), "no password");
    }

    @Test
    void hash_password_prints_a_line_whose_hash_matches_only_the_password_read_from_stdin() throws Exception {
        String out = runHashPassword("correct horse\n", "--device", "button-7", "--iterations", "1000");
        assertTrue(out.startsWith("button-7:$7$1000$"), out);
        PasswordHash hash =
                PasswordHash.parse(out.substring("button-7:".length()).strip());
        assertTrue(hash.matches("correct horse".toCharArray()));
        assertFalse(hash.matches("correct horse ".toCharArray()));
        assertFalse(out.contains("correct horse"), "the password itself is not printed");
        String other = runHashPassword("correct horse\n", "--iterations", "1000");
        assertFalse(other.strip().equals(hash.encoded()), "a fresh salt every time");
    }

    @Test
    void a_bad_line_is_refused_with_its_line_number_and_without_its_content() throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "# devices\npda-1:$7$101$bm90LWEtaGFzaA==$tooshort\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.IOException.class, () -> DeviceCredentials.load(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertFalse(e.getMessage().contains("tooshort"), e.getMessage());
    }

    private static String runHashPassword(String stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(0, new CommandLine(new HashPasswordCommand()).execute(args));
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
