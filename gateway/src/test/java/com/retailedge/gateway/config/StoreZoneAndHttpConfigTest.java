package com.retailedge.gateway.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code store.timezone} and the HTTP server's limits: shipped defaults, and bad values named at load. */
class StoreZoneAndHttpConfigTest {
    @Test
    void defaults_are_utc_and_bounded_http_limits() {
        GatewayConfig c = new ConfigLoader(Map.of()).load(null);
        assertEquals(ZoneId.of("UTC"), c.storeZone());
        assertEquals(Duration.ofSeconds(60), c.http().idleTimeout());
        assertEquals(Duration.ofSeconds(10), c.http().headerTimeout());
        assertEquals(256, c.http().maxConnections());
        assertEquals(16, c.http().maxStreams());
        assertEquals(10, c.api().authFailures());
        assertEquals(
                ZoneId.of("America/New_York"),
                new ConfigLoader(Map.of("GATEWAY_STORE_TIMEZONE", "America/New_York"))
                        .load(null)
                        .storeZone());
    }

    @ParameterizedTest(name = "{0}={1} is refused naming {2}")
    @CsvSource({
        "GATEWAY_STORE_TIMEZONE, Mars/Olympus_Mons, store.timezone",
        "GATEWAY_STORE_TIMEZONE, +02:00, store.timezone",
        "GATEWAY_STORE_TIMEZONE, CET-1, store.timezone",
        "GATEWAY_STORE_TIMEZONE, '', store.timezone",
        "GATEWAY_HTTP_IDLE_TIMEOUT, 0s, http.idle-timeout",
        "GATEWAY_HTTP_IDLE_TIMEOUT, 2h, http.idle-timeout",
        "GATEWAY_HTTP_HEADER_TIMEOUT, 500ms, http.header-timeout",
        "GATEWAY_HTTP_MAX_CONNECTIONS, 0, http.max-connections",
        "GATEWAY_HTTP_MAX_STREAMS, 0, http.max-streams",
        "GATEWAY_API_AUTH_FAILURES, 0, api.auth-failures",
    })
    void bad_values_stop_the_load_naming_the_key(String variable, String value, String key) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of(variable, value)).load(null));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
