package io.liftstream.jobs.experiments;

import io.liftstream.experiments.stats.Capping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Set;

/**
 * A cap as JSON, the same in an experiment's metric and in an {@code analyze} line:
 * {@code {"type": "absolute", "value": 100}} or {@code {"type": "percentile", "value": 0.99,
 * "ignore_zeros": true}} (GrowthBook's {@code capping} and {@code capValue}). Errors name the field.
 */
public final class CappingJson {
    private static final Set<String> FIELDS = Set.of("type", "value", "ignore_zeros");

    private CappingJson() {}

    /** @param where the field's path for messages, e.g. "analysis.primary.cap" */
    public static Capping parse(JsonNode c, String where) {
        if (!c.isObject()) {
            throw new IllegalArgumentException(where + " must be an object {\"type\": \"absolute\"|\"percentile\", \"value\": …}");
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "'");
            }
        }
        JsonNode type = c.get("type");
        if (type == null || !type.isTextual()) {
            throw new IllegalArgumentException(where + ".type must be \"absolute\" or \"percentile\"");
        }
        JsonNode value = c.get("value");
        if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new IllegalArgumentException(where + ".value must be a number");
        }
        JsonNode zeros = c.get("ignore_zeros");
        if (zeros != null && !zeros.isNull() && !zeros.isBoolean()) {
            throw new IllegalArgumentException(where + ".ignore_zeros must be true or false");
        }
        try {
            return new Capping(Capping.Type.of(type.asText()), value.doubleValue(), zeros != null && zeros.asBoolean());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    public static void write(Capping c, ObjectNode o) {
        o.put("type", c.type().wireName).put("value", c.value());
        if (c.ignoreZeros()) {
            o.put("ignore_zeros", true);
        }
    }
}
