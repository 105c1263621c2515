package com.retailedge.gateway.labels.push;

/** What the pusher learned, for the label state machine; called on CoAP and timer threads. */
public interface PushOutcomes {
    /** The access point answered 2.04: it queued this version for the label's next radio check-in. */
    void accepted(String labelId, long version);

    /** This version cannot be delivered: the access point refused it, or every attempt ran out. */
    void failed(String labelId, long version, String reason);
}
