package com.retailedge.gateway.ingest;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device topics and CoAP paths: the ones the contract defines parse to a channel and a device, nothing else does. */
class DeviceAddressTest {
    /** 64 characters, the longest device id the contract allows. */
    private static final String LONGEST_ID = "0123456789012345678901234567890123456789012345678901234567890123";

    private static final String STORE = "s001";

    @ParameterizedTest(name = "{0} -> {1} of {2}")
    @CsvSource({
        "store/s001/pda/pda-1/scan,              SCAN,         pda-1",
        "store/s001/pda/pda-1/status,            PDA_STATUS,   pda-1",
        "store/s001/pda/pda-1/short,             SHORT,        pda-1",
        "store/s001/pda/pda-1/substitute,        SUBSTITUTE,   pda-1",
        "store/s001/button/button-7/press,       PRESS,        button-7",
        "store/s001/camera/cam_entrance/recognition, RECOGNITION, cam_entrance",
        "store/s001/esl/esl-2000/status,         LABEL_STATUS, esl-2000",
        "store/s001/esl/A/status,                LABEL_STATUS, A",
        "store/s001/pda/" + LONGEST_ID + "/scan, SCAN, " + LONGEST_ID,
    })
    void given_a_device_topic_of_this_store_then_it_names_its_channel_and_device(
            String topic, Channel channel, String deviceId) {
        assertEquals(Optional.of(new DeviceAddress(channel, deviceId)), DeviceAddress.fromTopic(STORE, topic));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is not a device topic")
    @ValueSource(
            strings = {
                "store/s002/pda/pda-1/scan", // another store
                "store/s0010/pda/pda-1/scan", // a store whose id only starts like ours
                "store/S001/pda/pda-1/scan", // ids are case-sensitive
                "stores/s001/pda/pda-1/scan", // wrong root
                "/store/s001/pda/pda-1/scan", // leading slash
                "store/s001/pda/pda-1/scan/", // trailing slash
                "store/s001/pda/pda-1/scan/extra", // an extra segment
                "store/s001/pda/pda-1", // no leaf
                "store/s001/pda/scan", // no device id
                "store/s001/pda//scan", // an empty device id
                "store/s001/pda/pda 1/scan", // a space in the id
                "store/s001/pda/pda.1/scan", // a dot in the id
                "store/s001/pda/+/scan", // a wildcard as id
                "store/s001/pda/#/scan", // a wildcard as id
                "store/s001/pda/pdä/scan", // a non-ASCII id
                "store/s001/pda/01234567890123456789012345678901234567890123456789012345678901234/scan", // 65
                // characters
                "store/s001/pda/pda-1/press", // a leaf of another kind
                "store/s001/pda/pda-1/reply", // the gateway's own output
                "store/s001/button/button-1/scan", // a leaf of another kind
                "store/s001/label/esl-1/status", // labels are 'esl' on the wire
                "store/s001/esl/esl-1/press", // unknown leaf for labels
                "store/s001/printer/p-1/status", // unknown kind
                "store/s001/PDA/pda-1/scan", // kinds are case-sensitive
                "store/s001/pda/pda-1/SCAN", // leaves are case-sensitive
                "store/s001", // the store root
                "", // nothing
            })
    void given_a_topic_that_is_not_a_device_topic_of_this_store_then_it_has_no_address(String topic) {
        assertEquals(Optional.empty(), DeviceAddress.fromTopic(STORE, topic));
    }

    @ParameterizedTest(name = "{0} -> {1} of {2}")
    @CsvSource({
        "button/button-1/press, PRESS,        button-1",
        "esl/esl-9/status,      LABEL_STATUS, esl-9",
    })
    void given_a_coap_path_then_it_names_its_channel_and_device(String path, Channel channel, String deviceId) {
        assertEquals(Optional.of(new DeviceAddress(channel, deviceId)), DeviceAddress.fromPath(path));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is not a device path")
    @ValueSource(
            strings = {
                "/button/button-1/press",
                "button/button-1/press/",
                "button/button-1/press/again",
                "button/button-1",
                "button//press",
                "button/button*1/press",
                "button/button-1/status",
                "esl/esl-1/press",
                "lamp/l-1/status",
                "",
            })
    void given_a_path_that_is_not_a_device_path_then_it_has_no_address(String path) {
        assertEquals(Optional.empty(), DeviceAddress.fromPath(path));
    }

    @ParameterizedTest(name = "\"{0}\" is a valid device id")
    @ValueSource(strings = {"a", "Z", "0", "pda-1", "esl_2000", "A-b_C-9"})
    void device_ids_are_1_to_64_of_letters_digits_dash_and_underscore(String id) {
        assertTrue(DeviceAddress.isValidDeviceId(id));
        assertTrue(DeviceAddress.isValidDeviceId("x".repeat(64)));
    }

    @ParameterizedTest(name = "\"{0}\" is not a valid device id")
    @ValueSource(strings = {"", " ", "a b", "a/b", "a.b", "a+b", "a#b", "ä", "a\n"})
    void other_device_ids_are_refused(String id) {
        assertFalse(DeviceAddress.isValidDeviceId(id));
        assertFalse(DeviceAddress.isValidDeviceId("x".repeat(65)));
    }
}
