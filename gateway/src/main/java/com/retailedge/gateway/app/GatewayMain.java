package com.retailedge.gateway.app;

import com.retailedge.gateway.config.ConfigException;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.security.HashPasswordCommand;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar gateway.jar --config config/gateway.yaml}: runs until Ctrl-C or SIGTERM. */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "retail edge gateway 0.1",
        subcommands = HashPasswordCommand.class,
        description = "Runs the in-store edge gateway: devices over MQTT and CoAP, state in SQLite, events to the cloud.")
public final class GatewayMain implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config file; without it the built-in defaults are used. GATEWAY_* variables override it.")
    private Path config;

    @Option(names = "--check-config", description = "Validate the configuration, print it and exit.")
    private boolean checkOnly;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        GatewayConfig cfg;
        try {
            cfg = new ConfigLoader(System.getenv()).load(config);
        } catch (ConfigException e) {
            System.err.println("gateway: " + e.getMessage());
            return 2;
        }
        if (checkOnly) {
            System.out.println(cfg);
            return SecretCheckReport.print(cfg);
        }
        Gateway gateway = new Gateway(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            gateway.start();
        } catch (Exception e) {
            System.err.println("gateway: start-up failed: " + e.getMessage());
            gateway.close();
            return 1;
        }
        stopped.await();
        return 0;
    }
}
