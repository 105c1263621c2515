package com.retailedge.gateway.testsupport;

import com.retailedge.gateway.app.Gateway;
import com.retailedge.gateway.config.ConfigLoader;
import com.retailedge.gateway.spi.Capability;

/** A gateway started inside the test JVM with a {@link GatewayEnv}; for tests that need no process kill. */
public final class InProcessGateway implements AutoCloseable {
    /** How long a closed gateway's threads may take to end. */
    private static final java.time.Duration THREADS_END_WITHIN = java.time.Duration.ofSeconds(10);

    private final Gateway gateway;
    private final GatewayEnv env;
    private final ThreadLeaks threads = ThreadLeaks.before();

    private InProcessGateway(GatewayEnv env) {
        this.env = env;
        this.gateway = new Gateway(new ConfigLoader(env.asMap()).load(null));
    }

    public static InProcessGateway start(GatewayEnv env) throws Exception {
        InProcessGateway g = new InProcessGateway(env);
        g.gateway.start();
        return g;
    }

    /** Starts with one more capability, as a feature built outside the gateway would plug in. */
    public static InProcessGateway start(GatewayEnv env, Capability extra) throws Exception {
        InProcessGateway g = new InProcessGateway(env);
        g.gateway.with(extra).start();
        return g;
    }

    public GatewayEnv env() {
        return env;
    }

    public Gateway gateway() {
        return gateway;
    }

    /** Closes the gateway, then fails the test if a thread it started is still running after the deadline. */
    @Override
    public void close() {
        gateway.close();
        threads.assertNoneLeft(THREADS_END_WITHIN);
    }
}
