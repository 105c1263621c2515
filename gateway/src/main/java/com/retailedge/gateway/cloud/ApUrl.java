package com.retailedge.gateway.cloud;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an access point's {@code url} from a {@code bindings} command: {@code coap://host:port} or
 * {@code coaps://host:port} with a port 1..65535 (never silently defaulted), and a host that is one device: no
 * broadcast, multicast or unspecified address, which would spray label content (prices) at a whole network. Public
 * so that the config's {@code devices} entries can be held to the same rule.
 */
public final class ApUrl {
    private static final Pattern FORM = Pattern.compile("coaps?://([^/\\s:]+):(\\d{1,5})");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ApUrl() {}

    /** Why {@code url} cannot be an access point's, or empty when it can. */
    public static Optional<String> problem(String url) {
        Matcher m = FORM.matcher(url);
        if (!m.matches()) {
            return Optional.of("must be coap://host:port or coaps://host:port");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            return Optional.of("port " + port + " must be 1..65535");
        }
        String host = m.group(1);
        if (!IPV4.matcher(host).matches()) {
            // A name: resolved when the gateway pushes, never on the writer thread.
            return Optional.empty();
        }
        int[] octets = new int[4];
        String[] parts = host.split("\\.");
        for (int i = 0; i < 4; i++) {
            octets[i] = Integer.parseInt(parts[i]);
            if (octets[i] > 255) {
                return Optional.of("host " + host + " is not an IPv4 address");
            }
        }
        if (octets[0] >= 224 && octets[0] <= 239) {
            return Optional.of("host " + host + " is a multicast address; an access point has one address of its own");
        }
        if (octets[0] == 0 || octets[0] == 255 && octets[1] == 255 && octets[2] == 255 && octets[3] == 255) {
            return Optional.of("host " + host
                    + " is a broadcast or unspecified address; an access point has one address " + "of its own");
        }
        return Optional.empty();
    }
}
