package com.retailedge.gateway.security;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.store.Database;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.SqliteWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ACL over a real registry: own topics only, by registered kind; an access point speaks for its labels. */
class DeviceAccessTest {
    @TempDir
    Path dir;

    private SqliteWriter writer;
    private DeviceAccess access;

    @BeforeEach
    void registry() throws Exception {
        Database database = Database.open(dir.resolve("data"));
        DeviceRegistry registry;
        try (Connection c = database.openReadConnection()) {
            registry = DeviceRegistry.load(c);
        }
        writer = new SqliteWriter(database, 100, 1000, new SimpleMeterRegistry());
        writer.start();
        writer.submit(tx -> {
                    registry.upsert(tx, "pda-1", DeviceKind.PDA, Map.of(), "test");
                    registry.upsert(tx, "button-1", DeviceKind.BUTTON, Map.of(), "test");
                    registry.upsert(tx, "esl-1", DeviceKind.LABEL, Map.of("ap", "ap-1", "sku", "A"), "test");
                    registry.upsert(tx, "esl-2", DeviceKind.LABEL, Map.of("ap", "ap-2", "sku", "A"), "test");
                    registry.upsert(tx, "ap-1", DeviceKind.AP, Map.of("url", "coap://127.0.0.1:5683"), "test");
                    return null;
                })
                .get();
        access = new DeviceAccess("s001", registry);
    }

    @AfterEach
    void close() {
        writer.close();
    }

    @Test
    void a_device_publishes_only_under_its_own_kind_and_id() {
        assertTrue(access.mayPublish("pda-1", "store/s001/pda/pda-1/scan"));
        assertTrue(access.mayPublish("pda-1", "store/s001/pda/pda-1/status"));
        assertFalse(access.mayPublish("pda-1", "store/s001/pda/pda-2/scan"), "another pda");
        assertFalse(access.mayPublish("pda-1", "store/s001/button/pda-1/press"), "not its kind");
        assertFalse(access.mayPublish("pda-1", "store/s002/pda/pda-1/scan"), "another store");
        assertFalse(access.mayPublish("pda-1", "store/s001/pda/pda-1/reply"), "the gateway's output");
        assertFalse(access.mayPublish("pda-1", "retail/s001/events"), "outside the store's device topics");
        assertFalse(access.mayPublish("pda-9", "store/s001/pda/pda-9/scan"), "not registered");
        assertTrue(access.mayPublish("esl-1", "store/s001/esl/esl-1/status"), "labels publish under esl/");
    }

    @Test
    void a_device_subscribes_only_to_its_own_reply_task_and_notify() {
        assertTrue(access.maySubscribe("pda-1", "store/s001/pda/pda-1/reply"));
        assertTrue(access.maySubscribe("pda-1", "store/s001/pda/pda-1/task"));
        assertTrue(access.maySubscribe("pda-1", "store/s001/pda/pda-1/notify"));
        assertTrue(access.maySubscribe("pda-1", "store/s001/pda/pda-1/#"), "a wildcard below its own id");
        assertFalse(access.maySubscribe("pda-1", "store/s001/pda/pda-2/reply"));
        assertFalse(access.maySubscribe("pda-1", "store/s001/pda/+/reply"));
        assertFalse(access.maySubscribe("pda-1", "store/s001/#"));
        assertFalse(access.maySubscribe("pda-1", "#"));
        assertFalse(access.maySubscribe("pda-1", "store/s001/pda/pda-1/scan"), "not its output");
    }

    @Test
    void an_access_point_speaks_for_its_own_labels_only() {
        assertTrue(access.mayPublish("ap-1", "store/s001/esl/esl-1/status"));
        assertFalse(access.mayPublish("ap-1", "store/s001/esl/esl-2/status"), "bound to another ap");
        assertFalse(access.mayPublish("button-1", "store/s001/esl/esl-1/status"), "not an ap");
        assertTrue(access.mayActFor("ap-1", new DeviceAddress(Channel.LABEL_STATUS, "esl-1")));
        assertFalse(access.mayActFor("ap-1", new DeviceAddress(Channel.LABEL_STATUS, "esl-2")));
        assertTrue(
                access.maySubscribe("ap-1", "store/s001/ap/ap-1/task"), "a kind without a channel uses its wire name");
        assertFalse(access.maySubscribe("ap-1", "store/s001/esl/esl-1/task"));
        assertTrue(access.mayActFor("button-1", new DeviceAddress(Channel.PRESS, "button-1")));
        assertFalse(access.mayActFor("button-1", new DeviceAddress(Channel.PRESS, "button-2")));
    }
}
