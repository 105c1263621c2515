package com.retailedge.gateway.config;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Durations are written like 500ms, 60s, 30m, 24h, 7d (CONTRACT §6) and nothing else is guessed at. */
class DurationsTest {

    @ParameterizedTest(name = "\"{0}\" is {1} ms")
    @CsvSource(
            delimiter = '|',
            value = {
                "500ms  | 500",
                "0ms    | 0",
                "0s     | 0",
                "2s     | 2000",
                "60s    | 60000",
                "30m    | 1800000",
                "24h    | 86400000",
                "7d     | 604800000",
                "' 90s '| 90000",
                "000012s| 12000",
            })
    void given_a_number_and_a_unit_then_it_is_that_duration(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is not a duration")
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "5", // no unit: seconds or milliseconds?
                "s", // no number
                "5 s", // a space inside
                "5sec",
                "5S", // units are lower case
                "5MS",
                "1.5s", // whole numbers only
                "-1s", // never negative
                "+1s",
                "1m30s", // one unit only
                "1w",
                "PT5S", // ISO-8601 is not the format
                "1000000000000s", // 13 digits
                "999999999999d", // fits the pattern, but overflows milliseconds
            })
    void given_anything_else_then_it_is_refused_with_the_format_named(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void the_longest_duration_in_days_that_fits_in_milliseconds_is_accepted() {
        long days = Long.MAX_VALUE / 86_400_000L;
        assertEquals(Duration.ofDays(days), Durations.parse(days + "d"));
    }

    @ParameterizedTest(name = "{0} ms is written \"{1}\"")
    @CsvSource({
        "0,          0s",
        "1,          1ms",
        "500,        500ms",
        "1500,       1500ms",
        "2000,       2s",
        "90000,      90s",
        "60000,      1m",
        "1800000,    30m",
        "5400000,    90m",
        "3600000,    1h",
        "86400000,   1d",
        "604800000,  7d",
        "90000000,   25h",
    })
    void format_writes_the_shortest_exact_text_and_parse_reads_it_back(long millis, String text) {
        assertEquals(text, Durations.format(Duration.ofMillis(millis)));
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }
}
