package com.retailedge.gateway.device.mqtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayDemandTest {
    private final RelayDemand demand = new RelayDemand();

    @Test
    void a_filter_is_wanted_while_a_connection_holds_it() {
        RelayDemand.Interest a = demand.connection();
        RelayDemand.Interest b = demand.connection();
        assertFalse(demand.wanted("store/s001/button/button-1/press"), "nobody connected subscribes");

        a.subscribed("store/s001/button/+/press");
        a.subscribed("store/s001/button/+/press");
        b.subscribed("store/s001/#");
        assertTrue(demand.wanted("store/s001/button/button-1/press"));
        assertTrue(demand.wanted("store/s001/pda/pda-1/scan"), "b's multi-level wildcard");
        assertFalse(demand.wanted("store/s002/button/button-1/press"));

        b.closed();
        assertFalse(demand.wanted("store/s001/pda/pda-1/scan"), "b's filter left with its connection");
        assertTrue(demand.wanted("store/s001/button/button-9/press"));
        a.unsubscribed("store/s001/button/+/press");
        assertFalse(demand.wanted("store/s001/button/button-9/press"), "one UNSUBSCRIBE ends a repeated SUBSCRIBE");
    }

    @Test
    void a_shared_subscription_wants_what_its_filter_matches() {
        demand.connection().subscribed("$share/backend/store/s001/camera/+/recognition");
        assertTrue(demand.wanted("store/s001/camera/camera-1/recognition"));
    }

    @Test
    void a_resumed_session_wants_everything_as_its_stored_subscriptions_are_unknown() {
        RelayDemand.Interest resumed = demand.connection();
        resumed.resuming();
        assertTrue(demand.wanted("any/topic"), "from its CONNECT on");
        resumed.sessionPresent(false);
        assertFalse(demand.wanted("any/topic"), "no session was present after all");

        RelayDemand.Interest other = demand.connection();
        other.resuming();
        other.sessionPresent(true);
        assertTrue(demand.wanted("any/topic"), "a stored session: whatever it subscribed to before");
        other.closed();
        other.closed();
        assertFalse(demand.wanted("any/topic"), "until it disconnects, counted once");
    }
}
