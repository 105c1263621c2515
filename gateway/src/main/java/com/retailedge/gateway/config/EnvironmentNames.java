package com.retailedge.gateway.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code GATEWAY_*} variables that override no key: a misspelt override silently leaves the file's value in
 * force, so each one is warned about with the closest real name.
 */
final class EnvironmentNames {
    /** Variables of this prefix that are not config keys but are read (or set by our own packaging). */
    private static final List<String> OTHERS = List.of("GATEWAY_DEVICES", "GATEWAY_CONFIG");
    /** Further apart than this, a suggestion is a guess, not a typo's correction. */
    private static final int MAX_DISTANCE = 4;

    private EnvironmentNames() {}

    /** One warning per unknown {@code GATEWAY_*} name, in name order. */
    static List<String> unknown(Collection<String> names) {
        List<String> known = new ArrayList<>(OTHERS);
        ConfigKeys.ALL.forEach(k -> known.add(k.environmentVariable()));
        List<String> warnings = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (!name.startsWith("GATEWAY_") || known.contains(name)) {
                continue;
            }
            String closest = null;
            int best = Integer.MAX_VALUE;
            for (String candidate : known) {
                int d = distance(name, candidate);
                if (d < best) {
                    best = d;
                    closest = candidate;
                }
            }
            warnings.add("environment variable " + name + " sets no config key"
                    + (best <= MAX_DISTANCE ? "; did you mean " + closest + "?" : "; see docs/configuration.md"));
        }
        return warnings;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
