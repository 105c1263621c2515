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
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        version = "retail edge gateway 0.1",
        subcommands = {HashPasswordCommand.class, CdsTraining.class},
        description =
                "Runs the in-store edge gateway: devices over MQTT and CoAP, state in SQLite, events to the cloud.")
public final class GatewayMain implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            defaultValue = "${env:GATEWAY_CONFIG}",
            description =
                    "YAML config file (default: the GATEWAY_CONFIG variable; without either the built-in defaults "
                            + "are used). GATEWAY_* variables override it.")
    private Path config;

    @Option(
            names = "--check-config",
            description = "Check what start-up would check (values, files and their modes, "
                    + "free ports, secrets), print a short report ending in OK or the problems, and exit: 0 OK, 1 problems, "
                    + "2 a bad value.")
    private boolean checkOnly;

    @Option(
            names = "--health-check",
            paramLabel = "URL",
            description =
                    "GET this health URL (such as "
                            + "http://127.0.0.1:8080/health) and exit 0 when it answers 200, else 1; for container health checks.")
    private String healthUrl;

    public static void main(String[] args) {
        // Netty 4.2 describes its buffer allocations as JFR events, and the first allocation (the first HTTP request,
        // which is how a supervisor sees the gateway ready) then loads JFR's event metadata: about 70 ms of the start.
        // Nothing here records them; -Dio.netty.jfr.enabled=true brings them back.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (healthUrl != null) {
            return HealthProbe.probe(healthUrl, System.err);
        }
        GatewayConfig cfg;
        ConfigLoader loader = new ConfigLoader(System.getenv());
        try {
            cfg = loader.load(config);
        } catch (ConfigException e) {
            System.err.println("gateway: " + e.getMessage());
            return 2;
        }
        if (checkOnly) {
            ConfigCheck check = new ConfigCheck(cfg, loader.warnings());
            boolean ok = check.run();
            System.out.print(check.report(config == null ? "built-in defaults" : config.toString()));
            return ok ? 0 : 1;
        }
        loader.warnings().forEach(w -> System.err.println("gateway: warning: " + w));
        // Damage found beside the running gateway: exit non-zero, so the service restarts it and that start recovers.
        Gateway gateway = new Gateway(cfg).onDamage(() -> System.exit(70));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            stopped.countDown();
                        },
                        "shutdown"));
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
