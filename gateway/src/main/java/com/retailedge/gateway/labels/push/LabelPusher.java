package com.retailedge.gateway.labels.push;

import com.retailedge.gateway.concurrent.DaemonThreads;
import com.retailedge.gateway.store.WriterThread;
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
 * {@code attempts} attempts, or on a 4.xx, the outcome is a failure with its reason. An access point that sends an
 * empty ACK and then no separate response (it rebooted and lost its radio queue) gets a response deadline, after
 * which the push counts as an unanswered attempt too: every push ends, so no lane fills with pushes that never do.
 * Thread-safe; sends happen on the store's after-commit thread, on Californium's threads and on the retry timer,
 * never on the writer ({@link WriterThread#forbid}).
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
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("label-push-retry"));
    private final Counter accepted;
    private final Counter retried;
    private final Counter failed;
    private volatile boolean running = true;
    private final long responseTimeoutMs;
    private final long overallTimeoutMs;

    /**
     * @param maxTransmitWait how long a confirmable request may wait for its ACK over all retransmissions; an access
     *                        point that ACKed gets as long again for the separate response
     */
    public LabelPusher(
            ApEndpoints endpoints,
            Function<String, Optional<String>> apUrls,
            PushOutcomes outcomes,
            int maxInFlight,
            int attempts,
            Duration retryMax,
            Duration maxTransmitWait,
            MeterRegistry metrics) {
        this.responseTimeoutMs = Math.max(1, maxTransmitWait.toMillis());
        // Both waits, and a margin for Californium's own timer, before the push is ended whatever happened.
        this.overallTimeoutMs = 2 * responseTimeoutMs + 1000;
        this.endpoints = endpoints;
        this.apUrls = apUrls;
        this.outcomes = outcomes;
        this.maxInFlight = maxInFlight;
        this.attempts = attempts;
        this.retryMaxMs = Math.max(1000, retryMax.toMillis());
        this.accepted = pushes(metrics, "accepted");
        this.retried = pushes(metrics, "retried");
        this.failed = pushes(metrics, "failed");
        metrics.gauge(
                "gateway_label_push_queued",
                lanes,
                l -> l.values().stream().mapToInt(ApLane::queued).sum());
        metrics.gauge(
                "gateway_label_push_in_flight",
                lanes,
                l -> l.values().stream().mapToInt(ApLane::inFlight).sum());
    }

    private static Counter pushes(MeterRegistry metrics, String outcome) {
        return Counter.builder("gateway_label_pushes")
                .description("label content pushes to access points by outcome")
                .tag("outcome", outcome)
                .register(metrics);
    }

    /**
     * Queues a label's content; an older version of the same label that was not sent yet is dropped, and one that is
     * on the air is abandoned, so a newer version never waits behind a stuck older one.
     */
    public void offer(PushJob job) {
        if (!running) {
            return;
        }
        ApLane lane = lanes.computeIfAbsent(job.apId(), ap -> new ApLane());
        ApLane.Offer offered = lane.offer(job);
        if (offered.replaced() != null && offered.replaced().abandon()) {
            lane.done(offered.replaced());
        }
        if (offered.queued()) {
            pump(lane);
        }
    }

    /**
     * The label gave up on this version and older (its deadline passed, it failed): any push of them still queued or
     * on the air is dropped and its slot in the access point's lane freed.
     */
    public void giveUp(String apId, String labelId, long version) {
        ApLane lane = lanes.get(apId);
        if (lane == null) {
            return;
        }
        Flight flying = lane.giveUp(labelId, version);
        if (flying != null && flying.abandon()) {
            end(lane, flying);
        }
    }

    /** Labels waiting to be sent, over every access point. */
    public int queued() {
        return lanes.values().stream().mapToInt(ApLane::queued).sum();
    }

    /** How long an access point that sent an empty ACK gets to send the separate response. */
    public Duration responseTimeout() {
        return Duration.ofMillis(responseTimeoutMs);
    }

    private void pump(ApLane lane) {
        for (Flight flight : lane.takeSendable(maxInFlight)) {
            send(lane, flight);
        }
    }

    private void send(ApLane lane, Flight flight) {
        WriterThread.forbid("a label push");
        PushJob job = flight.job;
        Optional<String> base = apUrls.apply(job.apId());
        if (base.isEmpty()) {
            if (flight.end()) {
                end(lane, flight);
                fail(job, "unknown-ap: access point " + job.apId() + " is not registered with a url");
            }
            return;
        }
        Request request = Request.newPut();
        request.setConfirmable(true);
        request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        request.setPayload(job.payload());
        flight.sending(request);
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                if (flight.end()) {
                    answered(lane, flight, response);
                }
            }

            @Override
            public void onAcknowledgement() {
                // An empty ACK: the answer comes separately, or, from an access point that lost it, never.
                flight.deadline(timer.schedule(
                        () -> noResponse(
                                lane, flight, "acknowledged but no response within " + responseTimeoutMs + " ms"),
                        responseTimeoutMs,
                        TimeUnit.MILLISECONDS));
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
                if (flight.end()) {
                    retryLater(lane, flight, why);
                }
            }
        });
        // Whatever Californium does (a DTLS handshake that never completes, an exchange it forgets), the push ends.
        flight.deadline(timer.schedule(
                () -> noResponse(lane, flight, "no outcome within " + overallTimeoutMs + " ms"),
                overallTimeoutMs,
                TimeUnit.MILLISECONDS));
        try {
            URI uri = URI.create(base.get() + "/labels/" + job.labelId());
            request.setURI(uri);
            endpoints.endpointFor(job.apId(), uri).sendRequest(request);
        } catch (Exception e) {
            if (flight.end()) {
                end(lane, flight);
                fail(job, "ap-unreachable: cannot send to access point " + job.apId() + ": " + e.getMessage());
            }
        }
    }

    /** A deadline passed: the request is cancelled and counts as an unanswered attempt. */
    private void noResponse(ApLane lane, Flight flight, String why) {
        if (flight.abandon()) {
            retryLater(lane, flight, why);
        }
    }

    private void answered(ApLane lane, Flight flight, Response response) {
        PushJob job = flight.job;
        ResponseCode code = response.getCode();
        if (code.isSuccess()) {
            end(lane, flight);
            accepted.increment();
            outcomes.accepted(job.labelId(), job.version());
        } else if (code.isClientError()) {
            end(lane, flight);
            String why = code == ResponseCode.NOT_FOUND ? "ap-unknown-label" : "ap-refused";
            fail(
                    job,
                    why + ": access point " + job.apId() + " answered " + code.text + " " + code.name()
                            + (response.getPayloadSize() > 0 ? " (" + response.getPayloadString() + ")" : ""));
        } else {
            retryLater(lane, flight, "answered " + code.text + " " + code.name());
        }
    }

    private void retryLater(ApLane lane, Flight flight, String why) {
        PushJob job = flight.job;
        end(lane, flight);
        if (!running || !lane.isNewest(job)) {
            return;
        }
        if (job.attempt() + 1 >= attempts) {
            fail(
                    job,
                    "ap-unreachable: access point " + job.apId() + " did not take version " + job.version() + " in "
                            + attempts + " attempts (last: " + why + ")");
            return;
        }
        retried.increment();
        long backoff = Math.min(retryMaxMs, 1000L << Math.min(20, job.attempt()));
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        LOG.debug("label {} v{} to {}: {}; retry in {} ms", job.labelId(), job.version(), job.apId(), why, delay);
        timer.schedule(() -> offer(job.nextAttempt()), delay, TimeUnit.MILLISECONDS);
    }

    private void end(ApLane lane, Flight flight) {
        lane.done(flight);
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
