package io.liftstream.jobs.cli;

import io.liftstream.jobs.decisions.DecisionOptions;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.input.InputOptions;
import io.liftstream.jobs.io.TransactionTimeouts;
import io.liftstream.jobs.results.ResultsOptions;
import io.liftstream.triggers.TriggerOptions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every {@code liftstream.*} configuration key, found by reflection over the classes that declare
 * them as {@link ConfigOption} constants, so that a misspelt key ({@code ...cart-abandoned.timout})
 * is refused with the closest valid one instead of being silently ignored. A class declaring new
 * options is added to {@link #HOLDERS}, the one place that lists them.
 */
final class ConfigKeys {
    static final String PREFIX = "liftstream.";

    /** The classes whose {@code public static final ConfigOption} fields are Liftstream's options. */
    static final List<Class<?>> HOLDERS = List.of(
            EventTimeOptions.class,
            InputOptions.class,
            TransactionTimeouts.class,
            TriggerOptions.class,
            DecisionOptions.class,
            ResultsOptions.class,
            SqlCommand.class,
            KafkaReachability.class);

    private static final Map<String, ConfigOption<?>> KNOWN = scan(HOLDERS);

    private ConfigKeys() {}

    /** Options by key, deprecated and fallback keys included (they still work). */
    static Map<String, ConfigOption<?>> scan(List<Class<?>> holders) {
        Map<String, ConfigOption<?>> known = new TreeMap<>();
        for (Class<?> holder : holders) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> option;
                    try {
                        option = (ConfigOption<?>) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                    if (option.key().startsWith(PREFIX)) {
                        known.put(option.key(), option);
                        for (FallbackKey fallback : option.fallbackKeys()) {
                            known.put(fallback.getKey(), option);
                        }
                    }
                }
            }
        }
        return known;
    }

    static boolean isKnown(String key) {
        return !key.startsWith(PREFIX) || KNOWN.containsKey(key);
    }

    /** The known option of {@code key}, or null. */
    static ConfigOption<?> option(String key) {
        return KNOWN.get(key);
    }

    /**
     * Throws when {@code key} is a {@code liftstream.*} key that no option declares; the message
     * names where it was set and the closest known key.
     */
    static void requireKnown(String key, String where) {
        if (!isKnown(key)) {
            throw new IllegalArgumentException("unknown option " + key + " (" + where + "); did you mean " + closest(key) + "?");
        }
    }

    /** The known key with the smallest edit distance to {@code key} (the first in key order on ties). */
    static String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : KNOWN.keySet()) {
            int d = editDistance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
