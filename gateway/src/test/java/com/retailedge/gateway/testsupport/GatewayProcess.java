package com.retailedge.gateway.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as a separate JVM (the test classpath, the real main class), so a test can kill -9 it and
 * start it again on the same data directory and ports.
 */
public final class GatewayProcess implements AutoCloseable {
    private final GatewayEnv env;
    private final Path log;
    private Process process;
    private String maxHeap = "256m";

    public GatewayProcess(GatewayEnv env, Path log) {
        this.env = env;
        this.log = log;
    }

    /** The child JVM's -Xmx (256m unless set); call before {@link #start()}. */
    public GatewayProcess maxHeap(String xmx) {
        this.maxHeap = xmx;
        return this;
    }

    /** The operating system's id of the running gateway process. */
    public long pid() {
        return process.pid();
    }

    public GatewayProcess start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        // As deploy/ runs it: an OutOfMemoryError ends the process, so a test cannot miss one.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("com.retailedge.gateway.app.GatewayMain");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env.asMap());
        process = builder.start();
        awaitHealthy(Duration.ofSeconds(60));
        return this;
    }

    private void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("gateway process exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("gateway did not become healthy within " + timeout + "; see " + log);
    }

    /** kill -9: no shutdown hook, no flush, like a power cut for the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the clean shutdown path. Returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }
}
