package com.retailedge.gateway.security;

import com.retailedge.gateway.domain.DeviceAddress;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway hash-password --device pda-1}: reads a password (from the terminal without echo, or the first line
 * of standard input) and prints a credentials file line. The password is never an argument, so it stays out of
 * shell history and the process list.
 */
@Command(
        name = "hash-password",
        mixinStandardHelpOptions = true,
        description =
                "Hashes a device password (PBKDF2-HMAC-SHA512, Mosquitto's $7$ format) for mqtt.credentials-file. "
                        + "Reads the password from the terminal or the first line of standard input.")
public final class HashPasswordCommand implements Callable<Integer> {
    /** Below this many PBKDF2 iterations a stolen credentials file falls to a plain GPU quickly: warned about. */
    public static final int WEAK_ITERATIONS = 10_000;

    @Option(names = "--device", paramLabel = "ID", description = "print a whole line: ID:hash")
    private String device;

    @Option(
            names = "--iterations",
            paramLabel = "N",
            defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
            description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
    private int iterations;

    @Override
    public Integer call() throws Exception {
        if (device != null && !DeviceAddress.isValidDeviceId(device)) {
            System.err.println("hash-password: --device must be made of [A-Za-z0-9_-]{1,64}");
            return 2;
        }
        char[] password = readPassword();
        if (password == null || password.length == 0) {
            System.err.println("hash-password: no password given");
            return 2;
        }
        if (iterations < WEAK_ITERATIONS) {
            // Still made (tests and slow devices have their reasons), but nobody should take it for a store's hash.
            System.err.println("hash-password: warning: " + iterations + " iterations is weak; a store needs at least "
                    + WEAK_ITERATIONS + " (the default is " + PasswordHash.DEFAULT_ITERATIONS + ")");
        }
        try {
            String hash = PasswordHash.create(password, iterations).encoded();
            System.out.println(device == null ? hash : device + ":" + hash);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("hash-password: " + e.getMessage());
            return 2;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] readPassword() throws java.io.IOException {
        Console console = System.console();
        if (console != null) {
            return console.readPassword("password: ");
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
