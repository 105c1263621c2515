package com.retailedge.gateway.labels.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends label content to access points (CONTRACT §2: confirmable {@code PUT /labels/{labelId}}), one
 * {@link ApLane} per access point. A request that gets no answer (after Californium's retransmissions), a send
 * error or a 5.xx is tried again after a backoff from 1 s, doubling up to {@code retryMax}, jittered; after
 * {@code attempts} attempts, or on a 4.xx, the outcome is a failure with its reason. Thread-safe; sends happen on
 * the caller's thread, on Californium's threads and on the retry timer.
 */
public final class LabelPusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabelPusher.class);

    private final ApEndpoints endpoints;
    private final Function<String, Optional<String>> apUrls;
    private final PushOutcomes outcomes;
    private final int maxInFlight;
    private final int attempts;
    private final long retryMaxMs;
    private final Map<String, ApLane> lanes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "label-push-retry");
        t.setDaemon(true);
        return t;
    });
    private final Counter accepted;
    private final Counter retried;
    private final Counter failed;
    private volatile boolean running = true;

    public LabelPusher(ApEndpoints endpoints, Function<String, Optional<String>> apUrls, PushOutcomes outcomes,
                       int maxInFlight, int attempts, Duration retryMax, MeterRegistry metrics) {
        this.endpoints = endpoints;
        this.apUrls = apUrls;
        this.outcomes = outcomes;
        this.maxInFlight = maxInFlight;
        this.attempts = attempts;
        this.retryMaxMs = Math.max(1000, retryMax.toMillis());
        this.accepted = pushes(metrics, "accepted");
        this.retried = pushes(metrics, "retried");
        this.failed = pushes(metrics, "failed");
        metrics.gauge("gateway_label_push_queued", lanes, l -> l.values().stream().mapToInt(ApLane::queued).sum());
        metrics.gauge("gateway_label_push_in_flight", lanes, l -> l.values().stream().mapToInt(ApLane::inFlight).sum());
    }

    private static Counter pushes(MeterRegistry metrics, String outcome) {
        return Counter.builder("gateway_label_pushes").description("label content pushes to access points by outcome")
                .tag("outcome", outcome).register(metrics);
    }

    /** Queues a label's content; an older version of the same label that was not sent yet is dropped. */
    public void offer(PushJob job) {
        if (!running) {
            return;
        }
        ApLane lane = lanes.computeIfAbsent(job.apId(), ap -> new ApLane());
        if (lane.offer(job)) {
            pump(lane);
        }
    }

    /** Labels waiting to be sent, over every access point. */
    public int queued() {
        return lanes.values().stream().mapToInt(ApLane::queued).sum();
    }

    private void pump(ApLane lane) {
        for (PushJob job : lane.takeSendable(maxInFlight)) {
            send(lane, job);
        }
    }

    private void send(ApLane lane, PushJob job) {
        Optional<String> base = apUrls.apply(job.apId());
        if (base.isEmpty()) {
            end(lane, job);
            fail(job, "unknown-ap: access point " + job.apId() + " is not registered with a url");
            return;
        }
        Request request = Request.newPut();
        request.setConfirmable(true);
        request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        request.setPayload(job.payload());
        AtomicBoolean ended = new AtomicBoolean();
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                if (ended.compareAndSet(false, true)) {
                    answered(lane, job, response);
                }
            }

            @Override
            public void onTimeout() {
                endpoints.noAnswerFrom(job.apId());
                unanswered("no answer");
            }

            @Override
            public void onReject() {
                unanswered("reset by the access point");
            }

            @Override
            protected void failed() {
                unanswered("request failed");
            }

            @Override
            public void onSendError(Throwable error) {
                unanswered("send error: " + error.getMessage());
            }

            private void unanswered(String why) {
                if (ended.compareAndSet(false, true)) {
                    retryLater(lane, job, why);
                }
            }
        });
        try {
            URI uri = URI.create(base.get() + "/labels/" + job.labelId());
            request.setURI(uri);
            endpoints.endpointFor(job.apId(), uri).sendRequest(request);
        } catch (Exception e) {
            if (ended.compareAndSet(false, true)) {
                end(lane, job);
                fail(job, "ap-unreachable: cannot send to access point " + job.apId() + ": " + e.getMessage());
            }
        }
    }

    private void answered(ApLane lane, PushJob job, Response response) {
        ResponseCode code = response.getCode();
        if (code.isSuccess()) {
            end(lane, job);
            accepted.increment();
            outcomes.accepted(job.labelId(), job.version());
        } else if (code.isClientError()) {
            end(lane, job);
            String why = code == ResponseCode.NOT_FOUND ? "ap-unknown-label" : "ap-refused";
            fail(job, why + ": access point " + job.apId() + " answered " + code.text + " " + code.name()
                    + (response.getPayloadSize() > 0 ? " (" + response.getPayloadString() + ")" : ""));
        } else {
            retryLater(lane, job, "answered " + code.text + " " + code.name());
        }
    }

    private void retryLater(ApLane lane, PushJob job, String why) {
        end(lane, job);
        if (!running || !lane.isNewest(job)) {
            return;
        }
        if (job.attempt() + 1 >= attempts) {
            fail(job, "ap-unreachable: access point " + job.apId() + " did not take version " + job.version()
                    + " in " + attempts + " attempts (last: " + why + ")");
            return;
        }
        retried.increment();
        long backoff = Math.min(retryMaxMs, 1000L << Math.min(20, job.attempt()));
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        LOG.debug("label {} v{} to {}: {}; retry in {} ms", job.labelId(), job.version(), job.apId(), why, delay);
        timer.schedule(() -> offer(job.nextAttempt()), delay, TimeUnit.MILLISECONDS);
    }

    private void end(ApLane lane, PushJob job) {
        lane.done(job.labelId());
        if (running) {
            pump(lane);
        }
    }

    private void fail(PushJob job, String reason) {
        failed.increment();
        outcomes.failed(job.labelId(), job.version(), reason);
    }

    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
    }
}
