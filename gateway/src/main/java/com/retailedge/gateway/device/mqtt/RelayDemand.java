package com.retailedge.gateway.device.mqtt;

import io.moquette.broker.subscriptions.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether any device connected through the gate may want the broker's copy of a publish the gateway took. The
 * copy the gate hands Moquette is QoS 0, which Moquette delivers only to connected sessions; in a store most
 * publishes (presses, scans, statuses) have no subscriber at all, and routing each through the broker cost about
 * a tenth of a press's CPU. So the gate records what its connections subscribe to, as the SUBSCRIBE passes it
 * (before Moquette has it, so the copy starts early rather than late), and forgets it at UNSUBSCRIBE or when the
 * connection closes.
 *
 * <p>A connection resuming a stored session has subscriptions the gate never saw: from its CONNECT until the
 * broker's CONNACK says no session was present, it counts as wanting everything, and for as long as it stays
 * connected when one was. Thread-safe: each connection's {@link Interest} is used on its own event loop, the
 * totals from all of them.
 */
final class RelayDemand {
    /** Connections that may want everything: resumed sessions, and new ones until their CONNACK. */
    private final AtomicInteger everything = new AtomicInteger();
    /** Subscribed filters, with how many subscriptions of connected sessions hold each. */
    private final Map<String, AtomicInteger> filters = new ConcurrentHashMap<>();
    /** The filters as topics, rebuilt at each change; read per publish. */
    private volatile List<Topic> matchers = List.of();

    /** For tests of the gate that are not about this: every copy is wanted. */
    static RelayDemand always() {
        RelayDemand demand = new RelayDemand();
        demand.everything.incrementAndGet();
        return demand;
    }

    /** True when some connected session may receive {@code topic}. */
    boolean wanted(String topic) {
        if (everything.get() > 0) {
            return true;
        }
        List<Topic> current = matchers;
        if (current.isEmpty()) {
            return false;
        }
        try {
            Topic published = new Topic(topic);
            for (Topic filter : current) {
                if (published.match(filter)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException unparsable) {
            // whatever the broker makes of a topic this cannot read, it gets its copy
            return true;
        }
    }

    Interest connection() {
        return new Interest();
    }

    private void add(String filter) {
        filters.computeIfAbsent(filter, f -> new AtomicInteger()).incrementAndGet();
        rebuild();
    }

    private void remove(String filter) {
        filters.computeIfPresent(filter, (f, count) -> count.decrementAndGet() <= 0 ? null : count);
        rebuild();
    }

    private synchronized void rebuild() {
        List<Topic> built = new ArrayList<>();
        filters.forEach((filter, count) -> {
            if (count.get() > 0) {
                built.add(new Topic(filter));
            }
        });
        matchers = List.copyOf(built);
    }

    /** A shared subscription ({@code $share/group/filter}, MQTT 5) receives what its filter matches. */
    private static String filterOf(String subscribed) {
        if (subscribed.startsWith("$share/")) {
            int slash = subscribed.indexOf('/', "$share/".length());
            return slash < 0 ? subscribed : subscribed.substring(slash + 1);
        }
        return subscribed;
    }

    /** What one device connection subscribed to. Its event loop only. */
    final class Interest {
        private final java.util.Set<String> mine = new java.util.HashSet<>();
        private boolean wantsEverything;
        private boolean closed;

        /** Its CONNECT asks to resume a stored session: subscriptions unknown until the CONNACK. */
        void resuming() {
            setEverything(true);
        }

        /** The broker's CONNACK: a session was present (its stored subscriptions stay unknown) or not. */
        void sessionPresent(boolean present) {
            setEverything(present);
        }

        void subscribed(String subscribed) {
            if (closed) {
                return;
            }
            String filter = filterOf(subscribed);
            // A second SUBSCRIBE to the same filter replaces the first: still one subscription.
            if (mine.add(filter)) {
                add(filter);
            }
        }

        void unsubscribed(String subscribed) {
            String filter = filterOf(subscribed);
            if (mine.remove(filter)) {
                remove(filter);
            }
        }

        void closed() {
            if (closed) {
                return;
            }
            setEverything(false);
            closed = true;
            mine.forEach(RelayDemand.this::remove);
            mine.clear();
        }

        private void setEverything(boolean wanted) {
            if (closed || wanted == wantsEverything) {
                return;
            }
            wantsEverything = wanted;
            if (wanted) {
                everything.incrementAndGet();
            } else {
                everything.decrementAndGet();
            }
        }
    }
}
