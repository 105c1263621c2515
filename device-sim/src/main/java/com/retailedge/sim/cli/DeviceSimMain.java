package com.retailedge.sim.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of {@code device-sim.jar}. */
@Command(
        name = "device-sim",
        mixinStandardHelpOptions = true,
        version = "device-sim 0.1.0",
        subcommands = {
            DevicesCommand.class,
            CloudCommand.class,
            BenchCommand.class,
            ApsCommand.class,
            BenchLabelsCommand.class,
            com.retailedge.sim.picking.PickersCommand.class,
            MembersCommand.class,
            com.retailedge.sim.pos.PosCommand.class
        },
        description = {
            "Simulated store devices and cloud for the retail edge gateway.",
            "Durations are written 500ms, 30s, 5m, 1h; 0 means no limit. Run '<command> --help' for options.",
            "Example: device-sim devices --rate 100 --duration 1m --acked-log acked.txt",
            "         device-sim cloud --expect-acked acked.txt --report cloud.json",
            "         device-sim pickers --pdas 50 --rate 200 --duration 60s",
            "         device-sim pos --lanes 4 --skus 50 --history-days 28 --rate 5 --duration 1m"
        })
public final class DeviceSimMain implements Runnable {
    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DeviceSimMain());
        cl.registerConverter(Duration.class, new Durations());
        cl.setUsageHelpWidth(100);
        // Bad option values are user errors: print the message, not a stack trace.
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
