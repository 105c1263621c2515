package com.retailedge.gateway.config;

/** A config file or value that stops start-up; the message names the key and what is wrong. */
public final class ConfigException extends RuntimeException {
    private final String key;
    private final String problem;

    public ConfigException(String key, String problem) {
        super("config key '" + key + "': " + problem);
        this.key = key;
        this.problem = problem;
    }

    public ConfigException(String message) {
        super(message);
        this.key = null;
        this.problem = message;
    }

    private ConfigException(String message, String key, String problem) {
        super(message);
        this.key = key;
        this.problem = problem;
    }

    /** The same problem, said of the environment variable that set the key's value. */
    static ConfigException fromEnvironment(ConfigException e, String variable) {
        return new ConfigException(
                "environment variable " + variable + " (config key '" + e.key + "'): " + e.problem, e.key, e.problem);
    }

    /** The key the problem is about; null for a problem with the file as a whole. */
    public String key() {
        return key;
    }
}
