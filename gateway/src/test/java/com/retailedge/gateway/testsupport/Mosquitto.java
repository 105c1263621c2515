package com.retailedge.gateway.testsupport;

import java.io.IOException;
import java.net.Socket;
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
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                // Started as root, mosquitto switches to the user 'mosquitto', which cannot write its persistence
                // file under our temp dir, so a restart would forget every session. Stay whoever runs the tests.
                "user " + System.getProperty("user.name"),
                "allow_anonymous true",
                "persistence true",
                "persistence_location " + dir.resolve("data").toAbsolutePath() + "/",
                "max_queued_messages 0",
                "max_inflight_messages 0",
                "") );
    }

    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        Mosquitto m = new Mosquitto(dir);
        m.start();
        return m;
    }

    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("mosquitto exited; see " + dir.resolve("mosquitto.log"));
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not open port " + port);
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
