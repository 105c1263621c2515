package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retailedge.gateway.testsupport.GatewayEnv;

/** Valid device payloads and their topics (CONTRACT §1, §2), built the way the devices would send them. */
final class Payloads {
    /** An EAN-13 with a correct check digit. */
    static final String EAN13 = "4006381333931";

    static final String EVENTS_TOPIC = "retail/" + GatewayEnv.STORE + "/events";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {}

    static String scan(String msgId, String orderId, String barcode, int qty) {
        ObjectNode n = JSON.createObjectNode();
        n.put("msgId", msgId);
        n.put("orderId", orderId);
        n.put("barcode", barcode);
        n.put("qty", qty);
        return n.toString();
    }

    static String scan(String msgId) {
        return scan(msgId, "order-1", EAN13, 1);
    }

    static String press(String msgId, String press) {
        ObjectNode n = JSON.createObjectNode();
        n.put("msgId", msgId);
        n.put("press", press);
        return n.toString();
    }

    static String press(String msgId) {
        return press(msgId, "single");
    }

    static String labelStatus(String msgId, long version, int battery) {
        ObjectNode n = JSON.createObjectNode();
        n.put("msgId", msgId);
        n.put("version", version);
        n.put("battery", battery);
        return n.toString();
    }

    static String topic(String kind, String deviceId, String leaf) {
        return "store/" + GatewayEnv.STORE + "/" + kind + "/" + deviceId + "/" + leaf;
    }

    static String scanTopic(String pdaId) {
        return topic("pda", pdaId, "scan");
    }

    static String replyTopic(String pdaId) {
        return topic("pda", pdaId, "reply");
    }

    static String pressTopic(String buttonId) {
        return topic("button", buttonId, "press");
    }

    static String pressPath(String buttonId) {
        return "/button/" + buttonId + "/press";
    }

    static String labelStatusPath(String labelId) {
        return "/esl/" + labelId + "/status";
    }
}
