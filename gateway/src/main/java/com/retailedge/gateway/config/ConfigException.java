package com.retailedge.gateway.config;

/** A config file or value that stops start-up; the message names the key and what is wrong. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super("config key '" + key + "': " + problem);
    }

    public ConfigException(String message) {
        super(message);
    }
}
