package com.retailedge.sim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Durations are written like the gateway's config writes them. */
class DurationsTest {

    @Test
    void accepted_forms() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(24), Durations.parse("24h"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "abc", "-5s", "1.5s", "5 s", "10d", "30S", "ms", "s30", "9999999999s"})
    void bad_inputs_are_rejected_with_a_message_naming_the_input_and_the_forms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("500ms, 30s, 5m"), e.getMessage());
    }

    @Test
    void a_bad_duration_on_the_command_line_fails_before_anything_connects() {
        StringWriter err = new StringWriter();
        CommandLine cl = DeviceSimMain.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("devices", "--duration", "soon");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("bad duration 'soon'"), err.toString());
    }

    @Test
    void every_command_explains_itself() {
        for (String cmd : new String[] {"devices", "cloud", "bench"}) {
            StringWriter out = new StringWriter();
            CommandLine cl = DeviceSimMain.commandLine();
            cl.setOut(new PrintWriter(out));
            assertEquals(0, cl.execute(cmd, "--help"));
            assertTrue(out.toString().contains("--duration"), cmd);
        }
    }
}
