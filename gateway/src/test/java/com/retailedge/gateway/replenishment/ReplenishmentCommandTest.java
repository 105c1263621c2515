package com.retailedge.gateway.replenishment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Entries of the {@code replenishment} command: what is taken and what is refused, with the field named. */
class ReplenishmentCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void given_a_full_entry_then_every_setting_is_read() throws Exception {
        Settings s = ReplenishmentCommand.read(
                        JSON.readTree("{\"sku\":\"A\",\"leadTime\":\"36h\",\"reviewPeriod\":\"P1D\","
                                + "\"packSize\":6,\"serviceLevel\":0.98,\"maxStock\":120}"),
                        "skus[0]")
                .settings();
        assertEquals(new Settings(Duration.ofHours(36), Duration.ofDays(1), 6, 0.98, 120L), s);
        assertEquals(2.5, s.coverDays(), 1e-9);
        Settings minimal = ReplenishmentCommand.read(
                        JSON.readTree("{\"sku\":\"A\",\"leadTime\":\"2d\",\"packSize\":1," + "\"serviceLevel\":0.5}"),
                        "skus[0]")
                .settings();
        assertEquals(Duration.ZERO, minimal.reviewPeriod());
        assertEquals(null, minimal.maxStock());
    }

    static Stream<Arguments> bad() {
        String ok = "\"sku\":\"A\",\"leadTime\":\"2d\",\"packSize\":6,\"serviceLevel\":0.95";
        return Stream.of(
                Arguments.of("[1]", "must be an object"),
                Arguments.of("{\"leadTime\":\"2d\",\"packSize\":6,\"serviceLevel\":0.95}", "'sku'"),
                Arguments.of("{\"sku\":\"A\",\"packSize\":6,\"serviceLevel\":0.95}", "'leadTime' is missing"),
                Arguments.of(
                        "{\"sku\":\"A\",\"leadTime\":\"0s\",\"packSize\":6,\"serviceLevel\":0.95}", "longer than 0"),
                Arguments.of(
                        "{\"sku\":\"A\",\"leadTime\":\"soon\",\"packSize\":6,\"serviceLevel\":0.95}", "'leadTime'"),
                Arguments.of("{\"sku\":\"A\",\"leadTime\":2,\"packSize\":6,\"serviceLevel\":0.95}", "'leadTime'"),
                Arguments.of("{\"sku\":\"A\",\"leadTime\":\"400d\",\"packSize\":6,\"serviceLevel\":0.95}", "0..365d"),
                Arguments.of("{" + ok + ",\"reviewPeriod\":\"-1d\"}", "'reviewPeriod'"),
                Arguments.of("{" + ok + ",\"reviewPeriod\":\"PT-24H\"}", "0..365d"),
                Arguments.of("{\"sku\":\"A\",\"leadTime\":\"2d\",\"packSize\":0,\"serviceLevel\":0.95}", "'packSize'"),
                Arguments.of(
                        "{\"sku\":\"A\",\"leadTime\":\"2d\",\"packSize\":1.5,\"serviceLevel\":0.95}", "'packSize'"),
                Arguments.of("{\"sku\":\"A\",\"leadTime\":\"2d\",\"packSize\":6}", "'serviceLevel'"),
                Arguments.of(
                        "{\"sku\":\"A\",\"leadTime\":\"2d\",\"packSize\":6,\"serviceLevel\":0.4999}", "0.5..0.999"),
                Arguments.of("{\"sku\":\"A\",\"leadTime\":\"2d\",\"packSize\":6,\"serviceLevel\":1}", "0.5..0.999"),
                Arguments.of(
                        "{\"sku\":\"A\",\"leadTime\":\"2d\",\"packSize\":6,\"serviceLevel\":\"0.9\"}", "0.5..0.999"),
                Arguments.of("{" + ok + ",\"maxStock\":5}", "'maxStock'"),
                Arguments.of("{" + ok + ",\"maxStock\":\"50\"}", "'maxStock'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("bad")
    void given_a_bad_entry_then_it_is_refused_naming_the_field(String entry, String detail) throws Exception {
        Rejection r = assertThrows(Rejection.class, () -> ReplenishmentCommand.read(JSON.readTree(entry), "skus[3]"));
        assertEquals(RejectReason.BAD_COMMAND, r.reason());
        assertTrue(r.detail().startsWith("skus[3]") && r.detail().contains(detail), r.detail());
    }
}
