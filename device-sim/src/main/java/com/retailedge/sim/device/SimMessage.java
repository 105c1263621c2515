package com.retailedge.sim.device;

/**
 * One message ready to send.
 *
 * @param deviceId the id used in the topic or URI (an unknown id for that kind of bad message)
 * @param kind the device kind
 * @param channel last topic / URI segment
 * @param msgId the unique message id, also inside the payload when it is JSON
 * @param payload the UTF-8 bytes to send
 * @param badKind {@code null} for a valid message, else what is wrong with it
 */
public record SimMessage(
        String deviceId, DeviceKind kind, String channel, String msgId, byte[] payload, BadKind badKind) {

    /** True when the gateway should accept this message. */
    public boolean valid() {
        return badKind == null;
    }

    /** The device-side MQTT topic for this message. */
    public String topic(String storeId) {
        return "store/" + storeId + "/" + kind.segment() + "/" + deviceId + "/" + channel;
    }

    /** The CoAP resource path for this message (buttons and labels only have one). */
    public String coapPath() {
        return "/" + kind.segment() + "/" + deviceId + "/" + channel;
    }

    /** Whether the contract offers a CoAP resource for it and it fits into a plain UDP datagram. */
    public boolean coapCapable() {
        return (kind == DeviceKind.BUTTON || kind == DeviceKind.LABEL) && badKind != BadKind.OVERSIZE;
    }
}
