package com.retailedge.gateway.device.mqtt;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Messages for devices waiting in the {@link PublishWindow}, one entry per call of the publisher however many
 * MQTT messages it makes: its i-th message is {@link #json(int)} on {@link #topic(int)}.
 */
interface Outgoing {
    int size();

    String topic(int i);

    String json(int i);

    static Outgoing one(String topic, String json) {
        return new OneTopic(topic, List.of(json));
    }

    static Outgoing toEach(List<String> deviceIds, UnaryOperator<String> topicOf, String json) {
        return new ToEach(List.copyOf(deviceIds), topicOf, json);
    }

    static Outgoing allTo(String topic, List<String> jsons) {
        return new OneTopic(topic, List.copyOf(jsons));
    }

    /** Messages to one topic, in order. */
    record OneTopic(String topic, List<String> jsons) implements Outgoing {
        @Override
        public int size() {
            return jsons.size();
        }

        @Override
        public String topic(int i) {
            return topic;
        }

        @Override
        public String json(int i) {
            return jsons.get(i);
        }
    }

    /** One message to each device; the topic is made when it is sent. */
    record ToEach(List<String> deviceIds, UnaryOperator<String> topicOf, String json) implements Outgoing {
        @Override
        public int size() {
            return deviceIds.size();
        }

        @Override
        public String topic(int i) {
            return topicOf.apply(deviceIds.get(i));
        }

        @Override
        public String json(int i) {
            return json;
        }
    }
}
