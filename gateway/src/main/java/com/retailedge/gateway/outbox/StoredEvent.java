package com.retailedge.gateway.outbox;

/** One outbox row: a CloudEvent exactly as it goes to the cloud, with its sequence. */
public record StoredEvent(long sequence, String id, String type, String subject, long timeMillis, String body) {
    public int bytes() {
        return body.length();
    }
}
