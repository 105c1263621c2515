package com.retailedge.gateway.members;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One reference belongs to one member: a {@code members} command giving it to two is refused whole (real SQLite). */
@Timeout(30)
class MembersCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Database database;
    private SqliteWriter writer;
    private final MembersCommand command = new MembersCommand(new RefHasher("k".repeat(32)));

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir);
        writer = new SqliteWriter(database, 100, 10_000, new SimpleMeterRegistry());
        writer.start();
    }

    @AfterEach
    void close() {
        writer.close();
    }

    @Test
    void given_one_ref_on_two_members_then_the_command_is_refused_naming_the_members_not_the_ref() throws Exception {
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> apply("{\"commandId\":\"m-1\",\"members\":[" + member("m-a", "qr", "SHARED-REF") + ","
                        + member("m-b", "qr", "SHARED-REF") + "]}"));
        Rejection rejection = assertInstanceOf(Rejection.class, e.getCause());
        assertTrue(
                rejection.detail().contains("members 'm-a' and 'm-b' are given the same qr reference"),
                rejection.detail());
        assertFalse(rejection.detail().contains("SHARED-REF"));
        assertEquals(0, count("member"), "nothing applied");
        // The same ref by two methods is two references; one member twice is one member.
        apply("{\"commandId\":\"m-2\",\"members\":[" + member("m-a", "qr", "R-1") + "," + member("m-b", "card", "R-1")
                + "," + member("m-a", "qr", "R-1") + "]}");
        assertEquals(2, count("member"));
    }

    private void apply(String json) throws Exception {
        writer.submit(tx -> command.apply(tx, JSON.readTree(json))).get(10, TimeUnit.SECONDS);
    }

    private static String member(String id, String method, String ref) {
        return "{\"memberId\":\"" + id + "\",\"tier\":\"L1\",\"consent\":true,\"refs\":[{\"method\":\"" + method
                + "\",\"ref\":\"" + ref + "\"}]}";
    }

    private int count(String table) throws Exception {
        try (Connection c = database.openReadConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
