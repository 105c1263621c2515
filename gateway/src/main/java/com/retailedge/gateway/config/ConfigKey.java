package com.retailedge.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One config key, whole in one constant: its dotted name, its type, its shipped default, its least and greatest
 * value and what it means, as Californium's {@code IntegerDefinition} keeps them. {@link #read} parses and checks a
 * value and names the key when it is wrong: the gateway never clamps a value silently, and never takes a zero where
 * zero would break it. docs/configuration.md is held to these constants (ConfigDocsTest), the environment variable
 * that overrides a key is derived from its name, as the contract fixes it.
 *
 * @param <T> what the key's value is read as
 */
public final class ConfigKey<T> {
    /** How a value is written in the file, for the docs. */
    public enum Type {
        TEXT,
        PATH,
        FLAG,
        CHOICE,
        WHOLE,
        DURATION,
        SIZE,
        FRACTION
    }

    /** An inclusive range, as the docs write it ({@code 1s..1h}). */
    public record Bounds<T extends Comparable<? super T>>(T min, T max, String text) {
        boolean holds(T value) {
            return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        }
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String key, String text);
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);
    /** Sizes: at least enough for a working outbox, at most what a long holds without overflow. */
    static final long MIN_SIZE = 1024L * 1024;

    static final long MAX_SIZE = 1024L * 1024 * 1024 * 1024;

    private final String name;
    private final Type type;
    private final String defaultValue;
    private final Bounds<?> bounds;
    private final String meaning;
    private final Parser<T> parser;

    private ConfigKey(String name, Type type, String defaultValue, Bounds<?> bounds, String meaning, Parser<T> parser) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.bounds = bounds;
        this.meaning = meaning;
        this.parser = parser;
    }

    /** Free text, as written (the loader trims what the environment overrides). */
    public static ConfigKey<String> text(String name, String defaultValue, String meaning) {
        return new ConfigKey<>(name, Type.TEXT, defaultValue, null, meaning, (key, text) -> text);
    }

    /** A file; empty means none ({@code null}). */
    public static ConfigKey<Path> path(String name, String defaultValue, String meaning) {
        return new ConfigKey<>(
                name,
                Type.PATH,
                defaultValue,
                null,
                meaning,
                (key, text) -> text.trim().isEmpty() ? null : Path.of(text.trim()));
    }

    public static ConfigKey<Boolean> flag(String name, String defaultValue, String meaning) {
        return new ConfigKey<>(name, Type.FLAG, defaultValue, null, meaning, (key, text) -> {
            String value = text.trim().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new ConfigException(key, "'" + text + "' must be true or false");
            }
            return Boolean.parseBoolean(value);
        });
    }

    /** One of {@code allowed}, any case; read lower-case. */
    public static ConfigKey<String> choice(String name, String defaultValue, String meaning, String... allowed) {
        List<String> values = List.of(allowed);
        return new ConfigKey<>(name, Type.CHOICE, defaultValue, null, meaning, (key, text) -> {
            String value = text.trim().toLowerCase(Locale.ROOT);
            if (!values.contains(value)) {
                throw new ConfigException(key, "'" + text + "' must be one of " + String.join(", ", allowed));
            }
            return value;
        });
    }

    /** A whole number in {@code min..max}, read as an int (the range keeps it one). */
    public static ConfigKey<Integer> integer(String name, String defaultValue, int min, int max, String meaning) {
        ConfigKey<Long> wide = whole(name, defaultValue, min, max, meaning);
        return new ConfigKey<>(name, Type.WHOLE, defaultValue, wide.bounds, meaning, (key, text) ->
                (int) (long) wide.parser.parse(key, text));
    }

    public static ConfigKey<Long> whole(String name, String defaultValue, long min, long max, String meaning) {
        Bounds<Long> range = new Bounds<>(min, max, min + ".." + max);
        return new ConfigKey<>(
                name,
                Type.WHOLE,
                defaultValue,
                range,
                meaning,
                (key, text) -> checked(key, whole(key, text), range, v -> Long.toString(v)));
    }

    /** A port; 0 lets the system choose one (tests). */
    public static ConfigKey<Integer> port(String name, String defaultValue, String meaning) {
        return integer(name, defaultValue, 0, 65_535, meaning);
    }

    public static ConfigKey<Duration> duration(
            String name, String defaultValue, Duration min, Duration max, String meaning) {
        Bounds<Duration> range = new Bounds<>(min, max, Durations.format(min) + ".." + Durations.format(max));
        return new ConfigKey<>(name, Type.DURATION, defaultValue, range, meaning, (key, text) -> {
            Duration value;
            try {
                value = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, e.getMessage());
            }
            return checked(key, value, range, Durations::format);
        });
    }

    /** Bytes, written like {@code 512MB}; 1MB..1024GB. */
    public static ConfigKey<Long> size(String name, String defaultValue, String meaning) {
        Bounds<Long> range = new Bounds<>(MIN_SIZE, MAX_SIZE, "1MB..1024GB");
        return new ConfigKey<>(name, Type.SIZE, defaultValue, range, meaning, (key, text) -> {
            Matcher m = SIZE.matcher(text.trim());
            if (!m.matches()) {
                throw new ConfigException(key, "'" + text + "' is not a size; write it like 512MB or 1GB");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
            long multiplier = switch (unit) {
                case "KB" -> 1024L;
                case "MB" -> 1024L * 1024;
                case "GB" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            // Compared before multiplying, so a huge number cannot overflow into a small one.
            if (n > MAX_SIZE / multiplier || n * multiplier < MIN_SIZE) {
                throw new ConfigException(key, "'" + text.trim() + "' is outside " + range.text());
            }
            return n * multiplier;
        });
    }

    /** A number from 0 to 1. */
    public static ConfigKey<Double> fraction(String name, String defaultValue, String meaning) {
        Bounds<Double> range = new Bounds<>(0.0, 1.0, "0..1");
        return new ConfigKey<>(name, Type.FRACTION, defaultValue, range, meaning, (key, text) -> {
            double value;
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "'" + text.trim() + "' is not a number");
            }
            return checked(key, value, range, v -> Double.toString(v));
        });
    }

    private static long whole(String key, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + text + "' is not a whole number");
        }
    }

    private static <V extends Comparable<? super V>> V checked(
            String key, V value, Bounds<V> range, java.util.function.Function<V, String> format) {
        if (!range.holds(value)) {
            throw new ConfigException(key, format.apply(value) + " is outside " + range.text());
        }
        return value;
    }

    /** Reads this key's value out of the merged file, environment and default values. */
    public T read(Map<String, String> values) {
        String text = values.get(name);
        return parser.parse(name, text == null ? defaultValue : text);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** The least and greatest value, or null for a key without a range (text, paths, flags, choices). */
    public Bounds<?> bounds() {
        return bounds;
    }

    public String meaning() {
        return meaning;
    }

    /** {@code cloud.url} -> {@code GATEWAY_CLOUD_URL}. */
    public String environmentVariable() {
        return "GATEWAY_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return name;
    }
}
