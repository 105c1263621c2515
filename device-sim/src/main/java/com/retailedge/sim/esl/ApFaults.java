package com.retailedge.sim.esl;

/**
 * Faults of a whole request, above the datagram loss of {@link ApOptions#loss()}: what an access point that
 * reboots, or whose radio queue overflows, does to a label PUT.
 *
 * @param requestLoss probability, 0..1, that a label PUT is lost as a whole: half of those are ACKed by nobody
 *                    (every retransmission of it unheard), half ACKed with an empty ACK and never answered
 * @param silent      every label PUT gets an empty ACK and no response ever: an access point that lost its queue
 */
public record ApFaults(double requestLoss, boolean silent) {
    /** No faults. */
    public static final ApFaults NONE = new ApFaults(0, false);

    public ApFaults {
        if (requestLoss < 0 || requestLoss >= 1) {
            throw new IllegalArgumentException("request loss must be in 0..1 (exclusive of 1), got " + requestLoss);
        }
    }

    /** What happens to one PUT. */
    enum Fate {
        ANSWERED,
        UNHEARD,
        ACKED_ONLY
    }

    Fate next(java.util.Random random) {
        if (silent) {
            return Fate.ACKED_ONLY;
        }
        if (requestLoss > 0 && random.nextDouble() < requestLoss) {
            return random.nextBoolean() ? Fate.UNHEARD : Fate.ACKED_ONLY;
        }
        return Fate.ANSWERED;
    }
}
