package io.liftstream.jobs.sql.functions;

import io.liftstream.jobs.analyze.AnalyzeJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.AggregateFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code AB_ANALYZE_AGG(arm STRING, value DOUBLE, request STRING) -> STRING}: accumulates each arm's
 * sufficient statistics from one row per unit (user) and returns the line {@code ./liftstream
 * analyze} writes for them: {@code request} is an {@code analyze} input object without the arms'
 * numbers (e.g. {@code {"id":"DE","metric":"proportion","method":"sequential"}}); the aggregate adds
 * {@code arms}. Arm order: the names listed in {@code request.arms} (an array of strings) if given,
 * else {@code control} (if named) first and the others by name; so {@code weights} can follow it.
 * Rows with a NULL arm or value are skipped; the request of the group's first row is used.
 * Retractable and mergeable.
 */
public final class AbAnalyzeAggFunction extends AggregateFunction<String, AbAnalyzeAggFunction.Acc> {
    public static final String NAME = "AB_ANALYZE_AGG";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Per arm: units, Σx, Σx²; and the request. */
    public static final class Acc {
        public Map<String, Long> n = new HashMap<>();
        public Map<String, Double> sum = new HashMap<>();
        public Map<String, Double> sumSquares = new HashMap<>();
        public String request;
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, String arm, Double value, String request) {
        if (arm == null || value == null) {
            return;
        }
        if (acc.request == null) {
            acc.request = request;
        }
        acc.n.merge(arm, 1L, Long::sum);
        acc.sum.merge(arm, value, Double::sum);
        acc.sumSquares.merge(arm, value * value, Double::sum);
    }

    public void retract(Acc acc, String arm, Double value, String request) {
        if (arm == null || value == null) {
            return;
        }
        acc.n.merge(arm, -1L, Long::sum);
        acc.sum.merge(arm, -value, Double::sum);
        acc.sumSquares.merge(arm, -value * value, Double::sum);
        if (acc.n.get(arm) == 0) {
            acc.n.remove(arm);
            acc.sum.remove(arm);
            acc.sumSquares.remove(arm);
        }
    }

    public void merge(Acc acc, Iterable<Acc> others) {
        for (Acc o : others) {
            if (acc.request == null) {
                acc.request = o.request;
            }
            o.n.forEach((k, v) -> acc.n.merge(k, v, Long::sum));
            o.sum.forEach((k, v) -> acc.sum.merge(k, v, Double::sum));
            o.sumSquares.forEach((k, v) -> acc.sumSquares.merge(k, v, Double::sum));
        }
    }

    @Override
    public String getValue(Acc acc) {
        if (acc.request == null) {
            return null;
        }
        ObjectNode request = requestObject(acc.request);
        if (request == null) {
            return AnalyzeJson.answer(acc.request); // analyze's own error line ("not valid JSON", …)
        }
        List<String> order;
        try {
            order = armOrder(request, acc.n.keySet());
        } catch (IllegalArgumentException e) {
            return error(request, e.getMessage());
        }
        ArrayNode arms = request.putArray("arms");
        for (String name : order) {
            arms.addObject().put("name", name).put("n", acc.n.getOrDefault(name, 0L))
                    .put("sum", acc.sum.getOrDefault(name, 0.0)).put("sum_squares", acc.sumSquares.getOrDefault(name, 0.0));
        }
        return AnalyzeJson.answer(request.toString());
    }

    /** A copy of the request line as a JSON object to fill with arms, or null when it is not one. */
    static ObjectNode requestObject(String request) {
        try {
            JsonNode parsed = MAPPER.readTree(request);
            return parsed != null && parsed.isObject() ? ((ObjectNode) parsed).deepCopy() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The arms in the order of {@code request.arms} (names) if given, else control first and the
     * others by name. @throws IllegalArgumentException for a malformed list or an unlisted arm
     */
    static List<String> armOrder(ObjectNode request, java.util.Set<String> seenArms) {
        List<String> order = new ArrayList<>();
        JsonNode listed = request.get("arms");
        if (listed != null && listed.isArray()) {
            for (JsonNode name : listed) {
                if (!name.isTextual()) {
                    throw new IllegalArgumentException("request.arms must list arm names (strings); the aggregate adds their numbers");
                }
                order.add(name.asText());
            }
            for (String seen : seenArms) {
                if (!order.contains(seen)) {
                    throw new IllegalArgumentException("arm '" + seen + "' is not listed in request.arms " + order);
                }
            }
        } else {
            JsonNode control = request.get("control");
            if (control != null && control.isTextual() && seenArms.contains(control.asText())) {
                order.add(control.asText());
            }
            for (String name : new TreeSet<>(seenArms)) {
                if (!order.contains(name)) {
                    order.add(name);
                }
            }
        }
        return order;
    }

    /** An analyze-shaped error line echoing the request's id. */
    static String error(ObjectNode request, String reason) {
        ObjectNode line = MAPPER.createObjectNode();
        line.set("id", request.hasNonNull("id") && !request.get("id").isContainerNode() ? request.get("id") : null);
        line.put("status", "error");
        line.put("error", reason);
        line.putNull("srm_p_value");
        line.putNull("sequential_srm_p_value");
        line.putNull("arms");
        line.putNull("comparisons");
        return line.toString();
    }
}
