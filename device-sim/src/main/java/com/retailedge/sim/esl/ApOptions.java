package com.retailedge.sim.esl;

import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One simulated access point.
 *
 * @param apId         its device id (for logs)
 * @param port         UDP port to listen on, 0 for any
 * @param knows        the label ids it hosts; others get 4.04
 * @param gatewayCoap  {@code coap://host:port} of the gateway, where label status is reported
 * @param loss         probability that a datagram in or out is lost, 0..1
 * @param latency      one-way delay added to every datagram
 * @param checkIn      radio check-in interval: content is shown at a random moment within it; 0 = at once
 * @param dead         labels that never take content or report
 * @param lowBattery   labels that report a battery of 5%
 * @param dtls         when set, label content is served over DTLS 1.2 (coaps) to the holder of this PSK only
 * @param faults       whole requests lost or left unanswered ({@link ApFaults#NONE}: none)
 */
public record ApOptions(
        String apId,
        int port,
        Predicate<String> knows,
        String gatewayCoap,
        double loss,
        Duration latency,
        Duration checkIn,
        Set<String> dead,
        Set<String> lowBattery,
        Psk dtls,
        ApFaults faults) {

    /** Without request faults. */
    public ApOptions(
            String apId,
            int port,
            Predicate<String> knows,
            String gatewayCoap,
            double loss,
            Duration latency,
            Duration checkIn,
            Set<String> dead,
            Set<String> lowBattery,
            Psk dtls) {
        this(apId, port, knows, gatewayCoap, loss, latency, checkIn, dead, lowBattery, dtls, ApFaults.NONE);
    }

    /** The PSK identity and key the gateway must present (the access point's view of labels.ap-psk-file). */
    public record Psk(String identity, byte[] key) {
        @Override
        public String toString() {
            return "Psk[" + identity + "]";
        }
    }

    /** Plain CoAP. */
    public ApOptions(
            String apId,
            int port,
            Predicate<String> knows,
            String gatewayCoap,
            double loss,
            Duration latency,
            Duration checkIn,
            Set<String> dead,
            Set<String> lowBattery) {
        this(apId, port, knows, gatewayCoap, loss, latency, checkIn, dead, lowBattery, null, ApFaults.NONE);
    }

    public ApOptions {
        if (loss < 0 || loss >= 1) {
            throw new IllegalArgumentException("loss must be in 0..1 (exclusive of 1), got " + loss);
        }
        if (faults == null) {
            faults = ApFaults.NONE;
        }
    }

    /** A perfect link, immediate check-in, no dead or weak labels. */
    public static ApOptions simple(String apId, Predicate<String> knows, String gatewayCoap) {
        return new ApOptions(
                apId, 0, knows, gatewayCoap, 0, Duration.ZERO, Duration.ZERO, Set.of(), Set.of(), null, ApFaults.NONE);
    }

    public ApOptions withPort(int p) {
        return new ApOptions(apId, p, knows, gatewayCoap, loss, latency, checkIn, dead, lowBattery, dtls, faults);
    }

    public ApOptions withKnown(Predicate<String> k) {
        return new ApOptions(apId, port, k, gatewayCoap, loss, latency, checkIn, dead, lowBattery, dtls, faults);
    }

    public ApOptions withLoss(double l) {
        return new ApOptions(apId, port, knows, gatewayCoap, l, latency, checkIn, dead, lowBattery, dtls, faults);
    }

    public ApOptions withDead(Set<String> d) {
        return new ApOptions(apId, port, knows, gatewayCoap, loss, latency, checkIn, d, lowBattery, dtls, faults);
    }

    public ApOptions withLowBattery(Set<String> b) {
        return new ApOptions(apId, port, knows, gatewayCoap, loss, latency, checkIn, dead, b, dtls, faults);
    }

    public ApOptions withCheckIn(Duration c) {
        return new ApOptions(apId, port, knows, gatewayCoap, loss, latency, c, dead, lowBattery, dtls, faults);
    }

    /** Serves label content over DTLS (coaps) to the holder of this PSK; plain requests are not heard. */
    public ApOptions withDtls(String identity, byte[] key) {
        return new ApOptions(
                apId,
                port,
                knows,
                gatewayCoap,
                loss,
                latency,
                checkIn,
                dead,
                lowBattery,
                new Psk(identity, key),
                faults);
    }

    /** Loses whole label PUTs with this probability (half unheard, half ACKed and never answered). */
    public ApOptions withRequestLoss(double p) {
        return new ApOptions(
                apId,
                port,
                knows,
                gatewayCoap,
                loss,
                latency,
                checkIn,
                dead,
                lowBattery,
                dtls,
                new ApFaults(p, faults.silent()));
    }

    /** ACKs every label PUT and never answers one: an access point that lost its radio queue. */
    public ApOptions withSilence(boolean s) {
        return new ApOptions(
                apId,
                port,
                knows,
                gatewayCoap,
                loss,
                latency,
                checkIn,
                dead,
                lowBattery,
                dtls,
                new ApFaults(faults.requestLoss(), s));
    }
}
