package com.retailedge.gateway.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker on a random loopback port, playing the cloud (or an external in-store broker).
 * Persistent, so a stop and start keeps the sessions of subscribers that asked for one.
 */
public final class Mosquitto implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    public Mosquitto(Path dir) throws IOException {
        this.dir = dir;
        this.port = FreePorts.tcp();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        // Started as root, mosquitto switches to the user 'mosquitto', which cannot write its
                        // persistence
                        // file under our temp dir, so a restart would forget every session. Stay whoever runs the
                        // tests.
                        "user " + System.getProperty("user.name"),
                        "allow_anonymous true",
                        "persistence true",
                        "persistence_location " + dir.resolve("data").toAbsolutePath() + "/",
                        "max_queued_messages 0",
                        "max_inflight_messages 0",
                        ""));
    }

    /**
     * Adds a TLS listener with a server certificate (call before {@link #start()}); the plain listener stays,
     * so test subscribers need no certificates.
     */
    public void addTlsListener(int tlsPort, Path caFile, Path certFile, Path keyFile) throws IOException {
        addTlsListener(tlsPort, caFile, certFile, keyFile, false);
    }

    /** As above; with {@code requireClientCertificate} a client must show a certificate signed by {@code caFile}. */
    public void addTlsListener(int tlsPort, Path caFile, Path certFile, Path keyFile, boolean requireClientCertificate)
            throws IOException {
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                String.join(
                        "\n",
                        "listener " + tlsPort + " 127.0.0.1",
                        "cafile " + caFile.toAbsolutePath(),
                        "certfile " + certFile.toAbsolutePath(),
                        "keyfile " + keyFile.toAbsolutePath(),
                        "require_certificate " + requireClientCertificate,
                        ""),
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** Starts a broker on a fresh free port; tries another port if something else took the one chosen. */
    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Mosquitto m = new Mosquitto(dir);
            try {
                m.start();
                return m;
            } catch (IOException e) {
                m.stop();
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts mosquitto and returns once this process is the one listening. An open port alone proves nothing: when
     * another process grabbed the port after it was chosen, mosquitto exits on its bind error and clients would
     * silently talk to that other process. So wait for this run's "running" line in the log, which mosquitto
     * prints only after it opened its listener.
     */
    public void start() throws IOException, InterruptedException {
        Path log = dir.resolve("mosquitto.log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(
                        "mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto on port " + port + " exited; see " + log);
            }
            if (loggedSince(log, logStart).contains(" running")) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException notYet) {
                    // listening is announced just before accept; try again
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("mosquitto did not open port " + port + "; see " + log);
    }

    private static String loggedSince(Path log, long offset) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] all = Files.readAllBytes(log);
        return offset >= all.length
                ? ""
                : new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    }

    /** Stops the broker gracefully (SIGTERM), so it saves its persistent sessions. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
