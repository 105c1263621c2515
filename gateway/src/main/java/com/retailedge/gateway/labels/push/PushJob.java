package com.retailedge.gateway.labels.push;

/**
 * One label's content for its access point. Priority 0 (a price changed) goes before 1 (cosmetic); a newer
 * version of the same label replaces an older one that was not sent yet.
 */
public record PushJob(String labelId, String apId, long version, int priority, byte[] payload, int attempt) {
    PushJob nextAttempt() {
        return new PushJob(labelId, apId, version, priority, payload, attempt + 1);
    }
}
