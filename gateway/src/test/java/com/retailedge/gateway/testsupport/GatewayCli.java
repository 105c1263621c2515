package com.retailedge.gateway.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The gateway's command line run to its end in a separate JVM, as an operator runs it: exit code and output. */
public final class GatewayCli {
    /** What one run printed (stdout and stderr together) and how it ended. */
    public record Result(int exitCode, String output) {}

    private GatewayCli() {}

    /** Runs {@code GatewayMain} with these arguments and exactly these {@code GATEWAY_*} variables. */
    public static Result run(Map<String, String> environment, Path workDir, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("com.retailedge.gateway.app.GatewayMain");
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).directory(workDir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("gateway " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
