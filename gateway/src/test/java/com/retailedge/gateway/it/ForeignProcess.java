package com.retailedge.gateway.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A foreign client (mosquitto_pub, mosquitto_sub, coap-client) run as its own process, with its output read
 * line by line as it comes and a time limit on everything.
 */
final class ForeignProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> stdoutDone;
    private final CompletableFuture<Void> stderrDone;

    private ForeignProcess(Map<String, String> environment, List<String> command) throws IOException {
        this.command = List.copyOf(command);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        this.process = builder.start();
        process.getOutputStream().close();
        this.stdoutDone = reader(process.getInputStream(), stdout);
        this.stderrDone = reader(process.getErrorStream(), stderr);
    }

    /** A thread of its own per stream: the common pool may have a single thread on a small machine. */
    private CompletableFuture<Void> reader(InputStream in, List<String> into) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    readLines(in, into);
                    done.complete(null);
                },
                "it-read-" + command.get(0));
        t.setDaemon(true);
        t.start();
        return done;
    }

    static ForeignProcess start(String... command) throws IOException {
        return new ForeignProcess(Map.of(), List.of(command));
    }

    /** With these variables added to the environment. */
    static ForeignProcess start(Map<String, String> environment, String... command) throws IOException {
        return new ForeignProcess(environment, List.of(command));
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, as a service manager stops it. */
    void stop() {
        process.destroy();
    }

    /** Runs to the end; fails when it takes longer than {@code timeout}. */
    static ForeignProcess run(Duration timeout, String... command) throws Exception {
        ForeignProcess p = start(command);
        p.awaitExit(timeout);
        return p;
    }

    /** Waits for the process to end and for its output to be read; returns the exit code. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(this + " did not end within " + timeout);
        }
        stdoutDone.get(5, TimeUnit.SECONDS);
        stderrDone.get(5, TimeUnit.SECONDS);
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** stdout and stderr together, for output checks that do not care which stream a tool writes to. */
    String output() {
        List<String> all = new ArrayList<>(stdout);
        all.addAll(stderr);
        return String.join("\n", all);
    }

    private static void readLines(InputStream in, List<String> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                into.add(line);
            }
        } catch (IOException closed) {
            // the process ended
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
