package com.retailedge.gateway.device.mqtt;

/**
 * Whose broker session a logged-in device may open. The broker keys sessions by client id, so a device that sends
 * another device's client id would be handed that device's queued messages and would kick it off the network.
 * With device logins the client id must be the device's own id, or empty (the gate then uses the device id).
 */
final class SessionOwnership {
    private SessionOwnership() {}

    static boolean mayUse(String deviceId, String clientId) {
        return clientId == null || clientId.isEmpty() || clientId.equals(deviceId);
    }

    /**
     * Client ids no device may use even without logins: the gateway's own ({@code gateway:...}, see
     * {@link DeviceMqttClient#publisher}); taking one would cut every PDA off its replies and notices.
     */
    static boolean isReserved(String clientId) {
        return clientId != null && clientId.startsWith("gateway:");
    }

    /** The client id for a log line: a device chooses it, so it is cut short and stripped of control characters. */
    static String printable(String clientId) {
        String s = clientId.length() > 64 ? clientId.substring(0, 64) + "..." : clientId;
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
