package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.ingest.IngestResult;
import com.retailedge.gateway.security.DeviceAccess;
import com.retailedge.gateway.security.DeviceCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The gate's device authentication and ACL ({@code mqtt.auth: required}): checks a CONNECT's user name (the device
 * id) and password off the event loops, because PBKDF2 is deliberately slow, and decides which publishes and
 * subscriptions a connected device may make. Refusals are counted; refused publishes are kept as dead letters.
 */
public final class GateAuth implements AutoCloseable {
    private final DeviceCredentials credentials;
    private final DeviceAccess access;
    private final DeviceIngest ingest;
    private final Counter refusedConnects;
    private final Counter refusedPublishes;
    private final Counter refusedSubscribes;
    private final Counter refusedClientIds;
    /** One thread and a bounded queue: a storm of bad logins costs one core at most, and is refused beyond that. */
    private final ThreadPoolExecutor checker;

    /** {@code queue}: checks waiting for the one checker thread at most (mqtt.auth-queue). */
    public GateAuth(
            DeviceCredentials credentials, DeviceAccess access, DeviceIngest ingest, int queue, MeterRegistry metrics) {
        this.checker = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), DaemonThreads.named("mqtt-auth"));
        this.credentials = credentials;
        this.access = access;
        this.ingest = ingest;
        this.refusedConnects = refusals(metrics, "connect");
        this.refusedPublishes = refusals(metrics, "publish");
        this.refusedSubscribes = refusals(metrics, "subscribe");
        this.refusedClientIds = Counter.builder("gateway_mqtt_session_refused")
                .tag("reason", "client-id")
                .description("device CONNECTs refused because their client id is not the logged-in device's own")
                .register(metrics);
    }

    private static Counter refusals(MeterRegistry metrics, String what) {
        return Counter.builder("gateway_mqtt_auth_refused")
                .tag("packet", what)
                .description("device MQTT packets refused by authentication or the ACL")
                .register(metrics);
    }

    /**
     * Completes with true when {@code deviceId} and {@code password} match the credentials file and the will topic
     * (if any) is one the device may publish on; false otherwise or when too many checks are queued.
     */
    CompletableFuture<Boolean> admit(String deviceId, byte[] password, String willTopic) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        boolean ok = credentials.verify(deviceId, password)
                                && (willTopic == null || access.mayPublish(deviceId, willTopic));
                        if (!ok) {
                            refusedConnects.increment();
                        }
                        return ok;
                    },
                    checker);
        } catch (RejectedExecutionException e) {
            refusedConnects.increment();
            return CompletableFuture.completedFuture(false);
        }
    }

    boolean mayPublish(String deviceId, String topic) {
        return access.mayPublish(deviceId, topic);
    }

    boolean maySubscribe(String deviceId, String filter) {
        boolean ok = access.maySubscribe(deviceId, filter);
        if (!ok) {
            refusedSubscribes.increment();
        }
        return ok;
    }

    /** May the device holding a connection receive a delivery on {@code topic}? Only its own output topics. */
    boolean mayReceive(String deviceId, String topic) {
        return access.mayReceive(deviceId, topic);
    }

    /** Counts a CONNECT refused because it asked for a session that is not the device's own. */
    void refuseClientId() {
        refusedClientIds.increment();
    }

    /** Keeps a forbidden publish as a dead letter; completes once that is durable. */
    CompletableFuture<IngestResult> refusePublish(String deviceId, String topic, byte[] payload) {
        refusedPublishes.increment();
        return ingest.rejectUnaddressed(
                Transport.MQTT,
                topic,
                new Rejection(RejectReason.FORBIDDEN, "device '" + deviceId + "' may not publish on '" + topic + "'"),
                payload);
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
