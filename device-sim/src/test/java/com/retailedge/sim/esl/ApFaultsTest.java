package com.retailedge.sim.esl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access point's request faults, seen from a real CoAP client: a silent access point ACKs every PUT and answers
 * none; a lossy one loses whole requests, some never ACKed (their retransmissions unheard too, so the client times
 * out) and some ACKed and never answered, while the rest are answered 2.04.
 */
@Timeout(60)
class ApFaultsTest {
    /** What the client saw of one PUT. */
    private static final class Seen {
        volatile boolean acked;
        volatile boolean answered;
        volatile boolean timedOut;
    }

    private static CoapEndpoint client() {
        CoapConfig.register();
        UdpConfig.register();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.ACK_TIMEOUT, 200, TimeUnit.MILLISECONDS);
        config.set(CoapConfig.ACK_INIT_RANDOM, 1.0f);
        config.set(CoapConfig.MAX_RETRANSMIT, 1);
        CoapEndpoint endpoint =
                new CoapEndpoint.Builder().setConfiguration(config).build();
        return endpoint;
    }

    private static Seen put(CoapEndpoint client, AccessPointSimulator ap, String label) {
        Seen seen = new Seen();
        Request request = Request.newPut();
        request.setConfirmable(true);
        request.setURI(ap.url() + "/labels/" + label);
        request.setPayload("{\"version\":1,\"price\":\"1.00\"}".getBytes(StandardCharsets.UTF_8));
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onAcknowledgement() {
                seen.acked = true;
            }

            @Override
            public void onResponse(Response response) {
                assertEquals(ResponseCode.CHANGED, response.getCode());
                seen.answered = true;
            }

            @Override
            public void onTimeout() {
                seen.timedOut = true;
            }
        });
        client.sendRequest(request);
        return seen;
    }

    @Test
    void a_silent_access_point_acks_every_put_and_answers_none() throws Exception {
        CoapEndpoint client = client();
        try (AccessPointSimulator ap = new AccessPointSimulator(
                ApOptions.simple("ap-1", id -> true, "coap://127.0.0.1:9").withSilence(true))) {
            ap.start();
            client.start();
            List<Seen> seen = new ArrayList<>();
            for (int n = 1; n <= 5; n++) {
                seen.add(put(client, ap, "esl-" + n));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().allMatch(s -> s.acked));
            assertEquals(5, ap.ackedOnly());
            // Answers, had there been any, follow the ACK on loopback at once; a second round proves none came.
            Seen later = put(client, ap, "esl-9");
            await().atMost(Duration.ofSeconds(20)).until(() -> later.acked);
            assertTrue(
                    seen.stream().noneMatch(s -> s.answered || s.timedOut), "ACKed, then silence; no client timeout");
            assertEquals(List.of(), ap.received("esl-1"), "nothing was taken");
        } finally {
            client.destroy();
        }
    }

    @Test
    void a_lossy_access_point_loses_whole_requests_both_ways_and_answers_the_rest() throws Exception {
        CoapEndpoint client = client();
        try (AccessPointSimulator ap = new AccessPointSimulator(
                ApOptions.simple("ap-1", id -> true, "coap://127.0.0.1:9").withRequestLoss(0.5))) {
            ap.start();
            client.start();
            List<Seen> seen = new ArrayList<>();
            for (int n = 1; n <= 60; n++) {
                seen.add(put(client, ap, "esl-" + n));
            }
            AtomicInteger settled = new AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                settled.set((int)
                        seen.stream().filter(s -> s.answered || s.timedOut).count());
                return settled.get() == 60 - ap.ackedOnly();
            });
            long unheard = seen.stream().filter(s -> s.timedOut).count();
            long ackedOnly = seen.stream()
                    .filter(s -> s.acked && !s.answered && !s.timedOut)
                    .count();
            long answered = seen.stream().filter(s -> s.answered).count();
            assertEquals(ap.unheard(), unheard, "an unheard request is never ACKed, its retransmission neither");
            assertEquals(ap.ackedOnly(), ackedOnly);
            assertTrue(unheard > 0 && ackedOnly > 0 && answered > 0, unheard + " " + ackedOnly + " " + answered);
            assertEquals(answered, seen.stream().filter(s -> s.answered).count());
            assertEquals(60, unheard + ackedOnly + answered);
        } finally {
            client.destroy();
        }
    }
}
