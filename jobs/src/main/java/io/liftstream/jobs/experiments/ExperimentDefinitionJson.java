package io.liftstream.jobs.experiments;

import io.liftstream.jobs.serde.JsonErrors;
import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.assignment.FrequencyCap;
import io.liftstream.experiments.assignment.HashVersion;
import io.liftstream.experiments.assignment.Namespace;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.bandit.RewardRange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of an {@link ExperimentDefinition}, shared by {@code ./liftstream assign} and the
 * decision job:
 * <pre>{@code
 * {"experiment_id": "cart-recovery", "status": "running", "trigger": "cart_abandoned",
 *  "arms": [{"name": "control", "weight": 0.5}, {"name": "discount", "weight": 0.5}],
 *  "policy": "thompson", "coverage": 1, "hash_version": 1, "seed": "cart-recovery",
 *  "namespace": ["checkout", 0, 0.5], "holdout_pct": 5,
 *  "reward": {"event": "Order Completed", "value": "conversion", "window": "PT24H"},
 *  "frequency_cap": {"max": 3, "per": "P1D"}, "min_arm_share": 0.01, "burn_in": 100,
 *  "timestamp": "2026-11-23T10:00:00Z",
 *  "analysis": {"method": "sequential", "primary": {...}, "guardrails": [...]},
 *  "reward_range": [0, 500]}
 * }</pre>
 * {@code reward_range} [min, max] bounds a continuous reward for UCB1 ({@link RewardRange}).
 * The {@code analysis} object is read by {@link AnalysisSpecJson}.
 * Only {@code experiment_id} and {@code arms} are required. Arm weights may be omitted for all arms (an
 * equal split). Unknown fields are refused, so a misspelt option cannot silently fall back to its
 * default. Every error is an {@link IllegalArgumentException} naming the field.
 */
public final class ExperimentDefinitionJson {
    private ExperimentDefinitionJson() {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> FIELDS = Set.of("experiment_id", "status", "trigger", "placement", "arms",
            "policy", "coverage", "hash_version", "seed", "namespace", "holdout_pct", "reward", "frequency_cap",
            "min_arm_share", "burn_in", "timestamp", "analysis", "reward_range");

    public static ExperimentDefinition parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + JsonErrors.describe(e));
        }
        return parse(node);
    }

    /**
     * Reads a definition. A field whose value is JSON null is absent (its default applies), and
     * {@code namespace} may also be the object {@code {"id": "checkout", "start": 0, "end": 0.5}}:
     * both are what Flink's JSON format writes for the SQL {@code experiments} table.
     */
    public static ExperimentDefinition parse(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("an experiment definition must be a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            // A JSON null is an absent field (Flink's JSON format writes SQL NULL columns as null).
            if (!FIELDS.contains(f) && !o.get(f).isNull()) {
                throw new IllegalArgumentException("unknown field '" + f + "'");
            }
        }
        String id = text(o, "experiment_id", null);
        if (id == null) {
            throw new IllegalArgumentException("experiment_id is required");
        }
        ExperimentDefinition.Builder b = ExperimentDefinition.builder(id)
                .trigger(text(o, "trigger", null))
                .placement(text(o, "placement", null))
                .arms(arms(o.get("arms")))
                .coverage(number(o, "coverage", ExperimentDefinition.DEFAULT_COVERAGE))
                .seed(text(o, "seed", null))
                .holdoutPct(number(o, "holdout_pct", ExperimentDefinition.DEFAULT_HOLDOUT_PCT))
                .minArmShare(number(o, "min_arm_share", ExperimentDefinition.DEFAULT_MIN_ARM_SHARE))
                .burnIn(integer(o, "burn_in", ExperimentDefinition.DEFAULT_BURN_IN));
        String status = text(o, "status", null);
        if (status != null) {
            b.status(ExperimentStatus.of(status));
        }
        String policy = text(o, "policy", null);
        if (policy != null) {
            b.policy(PolicyType.of(policy));
        }
        int hashVersion = integer(o, "hash_version", ExperimentDefinition.DEFAULT_HASH_VERSION.number);
        b.hashVersion(HashVersion.of(hashVersion).orElseThrow(
                () -> new IllegalArgumentException("hash_version must be 1 or 2, was " + hashVersion)));
        if (present(o, "namespace")) {
            b.namespace(namespace(o.get("namespace")));
        }
        if (present(o, "reward")) {
            JsonNode r = object(o, "reward");
            b.reward(new RewardSpec(text(r, "event", null), text(r, "value", RewardSpec.CONVERSION),
                    duration(r, "reward.window")));
        }
        if (present(o, "frequency_cap")) {
            JsonNode f = object(o, "frequency_cap");
            b.frequencyCap(new FrequencyCap(integer(f, "max", 0), duration(f, "frequency_cap.per")));
        }
        if (present(o, "timestamp")) {
            b.timestamp(instant(o.get("timestamp")));
        }
        if (present(o, "analysis")) {
            b.analysis(AnalysisSpecJson.parse(o.get("analysis")));
        }
        if (present(o, "reward_range")) {
            b.rewardRange(rewardRange(o.get("reward_range")));
        }
        return b.build();
    }

    public static String write(ExperimentDefinition d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("experiment_id", d.experimentId());
        o.put("status", d.status().wireName);
        if (d.trigger() != null) {
            o.put("trigger", d.trigger());
        }
        if (d.placement() != null) {
            o.put("placement", d.placement());
        }
        ArrayNode arms = o.putArray("arms");
        for (Arm a : d.arms()) {
            arms.addObject().put("name", a.name()).put("weight", a.weight());
        }
        o.put("policy", d.policy().wireName);
        o.put("coverage", d.coverage());
        o.put("hash_version", d.hashVersion().number);
        o.put("seed", d.seed());
        if (d.namespace() != null) {
            o.putArray("namespace").add(d.namespace().id()).add(d.namespace().start()).add(d.namespace().end());
        }
        o.put("holdout_pct", d.holdoutPct());
        if (d.reward() != null) {
            o.putObject("reward").put("event", d.reward().event()).put("value", d.reward().value())
                    .put("window", d.reward().window().toString());
        }
        if (d.frequencyCap() != null) {
            o.putObject("frequency_cap").put("max", d.frequencyCap().max()).put("per", d.frequencyCap().per().toString());
        }
        o.put("min_arm_share", d.minArmShare());
        o.put("burn_in", d.burnIn());
        if (d.timestamp() != null) {
            o.put("timestamp", d.timestamp().toString());
        }
        if (d.analysis() != null) {
            AnalysisSpecJson.write(d.analysis(), o.putObject("analysis"));
        }
        if (d.rewardRange() != null) {
            o.putArray("reward_range").add(d.rewardRange().min()).add(d.rewardRange().max());
        }
        return o.toString();
    }

    private static List<Arm> arms(JsonNode arms) {
        if (arms == null || !arms.isArray() || arms.isEmpty()) {
            throw new IllegalArgumentException("arms must be a non-empty array of {\"name\", \"weight\"}");
        }
        int withWeight = 0;
        for (JsonNode a : arms) {
            if (!a.isObject()) {
                throw new IllegalArgumentException("each arm must be an object {\"name\", \"weight\"}, got " + a);
            }
            withWeight += present(a, "weight") ? 1 : 0;
        }
        if (withWeight != 0 && withWeight != arms.size()) {
            throw new IllegalArgumentException("give a weight for every arm or for none (an equal split)");
        }
        List<Arm> out = new ArrayList<>();
        for (JsonNode a : arms) {
            String name = text(a, "name", null);
            if (name == null) {
                throw new IllegalArgumentException("every arm needs a name");
            }
            out.add(new Arm(name, withWeight == 0 ? 1.0 / arms.size() : number(a, "weight", 0)));
        }
        return out;
    }

    private static Namespace namespace(JsonNode n) {
        if (n.isObject()) { // the SQL ROW form {"id", "start", "end"}
            if (!n.path("id").isTextual() || !n.path("start").isNumber() || !n.path("end").isNumber()) {
                throw new IllegalArgumentException("namespace must be {\"id\": \"namespace-id\", \"start\": s, \"end\": e}, got " + n);
            }
            return new Namespace(n.get("id").asText(), n.get("start").asDouble(), n.get("end").asDouble());
        }
        if (!n.isArray() || n.size() != 3 || !n.get(0).isTextual() || !n.get(1).isNumber() || !n.get(2).isNumber()) {
            throw new IllegalArgumentException("namespace must be [\"namespace-id\", start, end], got " + n);
        }
        return new Namespace(n.get(0).asText(), n.get(1).asDouble(), n.get(2).asDouble());
    }

    private static RewardRange rewardRange(JsonNode r) {
        if (!r.isArray() || r.size() != 2 || !r.get(0).isNumber() || !r.get(1).isNumber()) {
            throw new IllegalArgumentException("reward_range must be [min, max] (two numbers), got " + r);
        }
        return new RewardRange(r.get(0).asDouble(), r.get(1).asDouble());
    }

    private static boolean present(JsonNode o, String field) {
        return o.hasNonNull(field);
    }

    private static JsonNode object(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (!v.isObject()) {
            throw new IllegalArgumentException(field + " must be an object, got " + v);
        }
        return v;
    }

    private static String text(JsonNode o, String field, String dflt) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static double number(JsonNode o, String field, double dflt) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static int integer(JsonNode o, String field, int dflt) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static Duration duration(JsonNode o, String name) {
        String field = name.substring(name.indexOf('.') + 1);
        String text = text(o, field, null);
        if (text == null) {
            throw new IllegalArgumentException(name + " is required (an ISO-8601 duration such as PT24H)");
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT24H, was " + text);
        }
    }

    private static Instant instant(JsonNode v) {
        if (v.isIntegralNumber()) {
            return Instant.ofEpochMilli(v.asLong());
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp must be ISO-8601 (2026-11-23T10:00:00Z) or epoch millis, was " + v);
        }
    }
}
