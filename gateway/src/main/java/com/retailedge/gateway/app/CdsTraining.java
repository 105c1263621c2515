package com.retailedge.gateway.app;

import com.retailedge.gateway.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code java -XX:ArchiveClassesAtExit=gateway.jsa -jar gateway.jar cds-training}: starts a whole gateway on a
 * throw-away data directory and loopback ports chosen by the system (no cloud), asks it for {@code /health}, stops
 * it and exits, so that the JVM writes the classes a start loads into a class-data sharing archive. A gateway run
 * with {@code -XX:SharedArchiveFile=gateway.jsa} then maps them instead of reading, inflating and verifying them from
 * the jar: it is ready sooner and its metaspace is smaller (docs/operations.md, docs/benchmarks.md W4). The archive
 * belongs to this jar and this JDK; with any other the JVM says so once and runs without it.
 */
@Command(
        name = "cds-training",
        mixinStandardHelpOptions = true,
        description = "Starts and stops a gateway on a temporary directory and loopback ports, for "
                + "-XX:ArchiveClassesAtExit (a class-data sharing archive that makes starts faster).")
final class CdsTraining implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("gateway-cds-");
        try {
            Map<String, String> env = new HashMap<>();
            env.put("GATEWAY_DATA_DIR", data.toString());
            env.put("GATEWAY_STORE_ID", "cds-training");
            env.put("GATEWAY_CLOUD_URL", "tcp://127.0.0.1:" + unusedPort());
            env.put("GATEWAY_MQTT_BIND", "127.0.0.1");
            env.put("GATEWAY_MQTT_PORT", "0");
            env.put("GATEWAY_COAP_BIND", "127.0.0.1");
            env.put("GATEWAY_COAP_PORT", "0");
            env.put("GATEWAY_HTTP_BIND", "127.0.0.1");
            env.put("GATEWAY_HTTP_PORT", "0");
            try (Gateway gateway = new Gateway(new ConfigLoader(env).load(null))) {
                gateway.start();
                health(gateway.httpPort());
            }
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One plain request, so the HTTP and health path's classes are in the archive too. */
    private static void health(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            in.readAllBytes();
        }
    }
}
