package com.retailedge.gateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A gateway started as a store starts it (its own JVM, {@code GatewayMain}) loads SQLite's native library from the
 * copy in its data directory, and extracts nothing into the temp directory; started again, it loads the same copy.
 */
@Tag("slow")
@Timeout(120)
class SqliteLibraryInUseTest {
    @TempDir
    Path dataDir;

    @TempDir
    Path tmp;

    @Test
    void the_gateway_maps_the_library_from_its_data_directory_at_every_start() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "reads /proc/PID/maps");
        String first = mappedLibrary();
        assertTrue(first.startsWith(dataDir.resolve("native").toString()), first);
        long made = Files.getLastModifiedTime(Path.of(first)).toMillis();

        assertEquals(first, mappedLibrary(), "the second start loads the same copy");
        assertEquals(made, Files.getLastModifiedTime(Path.of(first)).toMillis(), "and does not write it again");
        try (Stream<Path> extracted = Files.list(tmp)) {
            List<Path> libraries = extracted
                    .filter(p -> p.getFileName().toString().contains("sqlitejdbc"))
                    .toList();
            assertEquals(List.of(), libraries, "nothing extracted into java.io.tmpdir");
        }
    }

    /** Starts a gateway, waits until it is up, reads which libsqlitejdbc it mapped, and stops it. */
    private String mappedLibrary() throws Exception {
        Map<String, String> env = Map.of(
                "GATEWAY_DATA_DIR", dataDir.toString(),
                "GATEWAY_STORE_ID", "native-lib",
                "GATEWAY_CLOUD_URL", "tcp://127.0.0.1:9",
                "GATEWAY_MQTT_BIND", "127.0.0.1",
                "GATEWAY_MQTT_PORT", "0",
                "GATEWAY_COAP_BIND", "127.0.0.1",
                "GATEWAY_COAP_PORT", "0",
                "GATEWAY_HTTP_BIND", "127.0.0.1",
                "GATEWAY_HTTP_PORT", "0");
        try (ForeignProcess gateway = ForeignProcess.start(
                env,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                "com.retailedge.gateway.app.GatewayMain")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> gateway.output().contains(" is up:"));
            String library;
            try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(gateway.pid()), "maps"))) {
                library = maps.filter(l -> l.contains("libsqlitejdbc"))
                        .map(l -> l.substring(l.indexOf('/')))
                        .findFirst()
                        .orElse("not mapped: " + gateway.output());
            }
            gateway.stop();
            // 143: ended by the SIGTERM, after its shutdown hook stopped the gateway (what systemd expects)
            assertEquals(143, gateway.awaitExit(Duration.ofSeconds(30)), gateway.output());
            return library;
        }
    }
}
