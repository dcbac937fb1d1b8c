package io.liftstream.jobs.experiments;

import io.liftstream.experiments.results.AnalysisSpec;
import io.liftstream.experiments.results.MetricSpec;
import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.Capping;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.bayesian.EffectPrior;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code analysis} object of an experiment definition:
 * <pre>{@code
 * "analysis": {"method": "sequential", "alpha": 0.05, "relative": true, "sides": "two",
 *   "sequential_tuning": 5000, "msprt_tau2": 0.0001, "gst_max_n": 100000, "control": "control",
 *   "prior_proper": false, "prior_mean": 0, "prior_stddev": 0.3, "confidence_level": 0.95, "win_risk": 0.0025,
 *   "primary": {"name": "conversion", "event": "Order Completed", "value": "conversion", "window": "P1D",
 *               "desired": "increase"},
 *   "guardrails": [{"name": "refunds", "event": "Order Refunded", "value": "conversion", "window": "P7D",
 *                   "desired": "decrease"}]}
 * }</pre>
 * A metric may also carry {@code "cap": {"type": "absolute", "value": 500}} (per-user cap before the
 * sums; {@link CappingJson}) and {@code "cuped": {"lookback": "P14D"}} (CUPED with the user's value in
 * the lookback before first exposure as covariate) or, instead of CUPED, {@code "denominator":
 * {"event": "Order Completed", "value": "conversion"}} (a ratio metric Σm/Σd over the same window).
 * Every field is optional (a JSON null means absent, as Flink's JSON format writes SQL NULLs);
 * {@code gst_max_n} is required for gst. Unknown fields are refused; errors name the field.
 *
 * <p>Bayesian settings (method {@code bayesian} only), named as GrowthBook's (gbstats' metric
 * settings {@code prior_proper}, {@code prior_mean}, {@code prior_stddev}; the organisation
 * settings {@code confidenceLevel} and {@code winRisk}): a prior on the relative lift, flat unless
 * {@code prior_proper} is true, then N(prior_mean, prior_stddev²) with defaults 0 and 0.3; the
 * chance-to-win threshold {@code confidence_level} (default 1 − alpha); the risk threshold
 * {@code win_risk} (default 0.0025).
 */
final class AnalysisSpecJson {
    private AnalysisSpecJson() {}

    private static final Set<String> FIELDS = Set.of("method", "alpha", "relative", "sides", "sequential_tuning",
            "msprt_tau2", "gst_max_n", "control", "primary", "guardrails", "prior_proper", "prior_mean", "prior_stddev",
            "confidence_level", "win_risk");
    private static final Set<String> METRIC_FIELDS = Set.of("name", "event", "value", "window", "desired", "cap",
            "cuped", "denominator");
    private static final Set<String> DENOMINATOR_FIELDS = Set.of("event", "value");
    private static final Set<String> CUPED_FIELDS = Set.of("lookback");

    static AnalysisSpec parse(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("analysis must be an object, got " + o);
        }
        refuseUnknown(o, FIELDS, "analysis");
        String methodName = text(o, "method", "analysis.method");
        Method method = methodName == null ? null : switch (methodName) {
            case "sequential" -> Method.SEQUENTIAL;
            case "msprt" -> Method.MSPRT;
            case "gst" -> Method.GST;
            case "fixed" -> Method.FIXED;
            case "bayesian" -> Method.BAYESIAN;
            default -> throw new IllegalArgumentException(
                    "analysis.method must be sequential, msprt, gst, fixed or bayesian, was \"" + methodName + "\"");
        };
        String sidesName = text(o, "sides", "analysis.sides");
        Sides sides = sidesName == null ? null : switch (sidesName) {
            case "two" -> Sides.TWO;
            case "greater" -> Sides.GREATER;
            case "lesser" -> Sides.LESSER;
            default -> throw new IllegalArgumentException("analysis.sides must be two, greater or lesser, was \"" + sidesName + "\"");
        };
        Double alpha = number(o, "alpha");
        Double tuning = number(o, "sequential_tuning");
        Double gstMaxN = number(o, "gst_max_n");
        if (gstMaxN != null && (gstMaxN != Math.rint(gstMaxN) || gstMaxN <= 0)) {
            throw new IllegalArgumentException("analysis.gst_max_n must be a positive whole number, was " + o.get("gst_max_n"));
        }
        JsonNode relative = o.get("relative");
        if (relative != null && !relative.isNull() && !relative.isBoolean()) {
            throw new IllegalArgumentException("analysis.relative must be true or false, got " + relative);
        }
        MetricSpec primary = present(o, "primary") ? metric(o.get("primary"), "analysis.primary") : null;
        List<MetricSpec> guardrails = new ArrayList<>();
        if (present(o, "guardrails")) {
            JsonNode g = o.get("guardrails");
            if (!g.isArray()) {
                throw new IllegalArgumentException("analysis.guardrails must be an array of metrics");
            }
            for (int i = 0; i < g.size(); i++) {
                guardrails.add(metric(g.get(i), "analysis.guardrails[" + i + "]"));
            }
        }
        return new AnalysisSpec(method, alpha == null ? AnalysisRequest.DEFAULT_ALPHA : alpha,
                relative == null || relative.isNull() || relative.booleanValue(), sides,
                tuning == null ? SequentialConfig.DEFAULT_TUNING : tuning, number(o, "msprt_tau2"),
                gstMaxN == null ? 0 : gstMaxN.longValue(), text(o, "control", "analysis.control"), primary, guardrails,
                prior(o), number(o, "confidence_level"), number(o, "win_risk"));
    }

    /** The prior fields, or null when none is given. */
    private static EffectPrior prior(JsonNode o) {
        JsonNode proper = o.get("prior_proper");
        if (proper != null && !proper.isNull() && !proper.isBoolean()) {
            throw new IllegalArgumentException("analysis.prior_proper must be true or false, got " + proper);
        }
        Double mean = number(o, "prior_mean");
        Double stddev = number(o, "prior_stddev");
        boolean isProper = proper != null && proper.booleanValue();
        if (proper == null || proper.isNull()) {
            if (mean == null && stddev == null) {
                return null;
            }
        }
        if (stddev != null && !(stddev > 0)) {
            throw new IllegalArgumentException("analysis.prior_stddev must be positive, was " + stddev);
        }
        return EffectPrior.relative(isProper, mean == null ? 0.0 : mean, stddev == null ? EffectPrior.DEFAULT_STDDEV : stddev);
    }

    private static MetricSpec metric(JsonNode m, String where) {
        if (!m.isObject()) {
            throw new IllegalArgumentException(where + " must be an object {\"name\", \"event\", \"value\", \"window\", \"desired\"}");
        }
        refuseUnknown(m, METRIC_FIELDS, where);
        String name = text(m, "name", where + ".name");
        String event = text(m, "event", where + ".event");
        if (event == null) {
            throw new IllegalArgumentException(where + ".event is required");
        }
        String window = text(m, "window", where + ".window");
        if (window == null) {
            throw new IllegalArgumentException(where + ".window is required (an ISO-8601 duration such as P1D)");
        }
        Duration duration;
        try {
            duration = Duration.parse(window);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ".window must be an ISO-8601 duration such as P1D, was " + window);
        }
        String desired = text(m, "desired", where + ".desired");
        Capping cap = present(m, "cap") ? CappingJson.parse(m.get("cap"), where + ".cap") : null;
        Duration lookback = null;
        if (present(m, "cuped")) {
            JsonNode c = m.get("cuped");
            if (!c.isObject()) {
                throw new IllegalArgumentException(where + ".cuped must be an object {\"lookback\": \"P14D\"}");
            }
            refuseUnknown(c, CUPED_FIELDS, where + ".cuped");
            String text = text(c, "lookback", where + ".cuped.lookback");
            if (text == null) {
                throw new IllegalArgumentException(where + ".cuped.lookback is required (an ISO-8601 duration such as P14D)");
            }
            try {
                lookback = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ".cuped.lookback must be an ISO-8601 duration such as P14D, was " + text);
            }
        }
        MetricSpec.Denominator denominator = null;
        if (present(m, "denominator")) {
            JsonNode dn = m.get("denominator");
            if (!dn.isObject()) {
                throw new IllegalArgumentException(where + ".denominator must be an object {\"event\": ..., \"value\": \"conversion\" or a property}");
            }
            refuseUnknown(dn, DENOMINATOR_FIELDS, where + ".denominator");
            String dEvent = text(dn, "event", where + ".denominator.event");
            if (dEvent == null) {
                throw new IllegalArgumentException(where + ".denominator.event is required");
            }
            denominator = new MetricSpec.Denominator(dEvent, text(dn, "value", where + ".denominator.value"));
        }
        try {
            return new MetricSpec(name == null ? MetricSpec.REWARD_NAME : name, event, text(m, "value", where + ".value"),
                    duration, desired == null ? null : MetricSpec.Desired.of(desired), cap, lookback, denominator);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    static ObjectNode write(AnalysisSpec a, ObjectNode o) {
        o.put("method", a.method().name().toLowerCase(java.util.Locale.ROOT));
        o.put("alpha", a.alpha());
        o.put("relative", a.relative());
        o.put("sides", a.sides().name().toLowerCase(java.util.Locale.ROOT));
        o.put("sequential_tuning", a.sequentialTuning());
        if (a.msprtTau2() != null) {
            o.put("msprt_tau2", a.msprtTau2());
        }
        if (a.gstMaxN() > 0) {
            o.put("gst_max_n", a.gstMaxN());
        }
        if (a.control() != null) {
            o.put("control", a.control());
        }
        if (a.prior() != null) {
            o.put("prior_proper", a.prior().proper());
            o.put("prior_mean", a.prior().mean());
            o.put("prior_stddev", Math.sqrt(a.prior().variance()));
        }
        if (a.confidenceLevel() != null) {
            o.put("confidence_level", a.confidenceLevel());
        }
        if (a.winRisk() != null) {
            o.put("win_risk", a.winRisk());
        }
        if (a.primary() != null) {
            writeMetric(a.primary(), o.putObject("primary"));
        }
        if (!a.guardrails().isEmpty()) {
            ArrayNode g = o.putArray("guardrails");
            for (MetricSpec m : a.guardrails()) {
                writeMetric(m, g.addObject());
            }
        }
        return o;
    }

    static void writeMetric(MetricSpec m, ObjectNode o) {
        o.put("name", m.name()).put("event", m.event()).put("value", m.value()).put("window", m.window().toString())
                .put("desired", m.desired().wireName);
        if (m.cap() != null) {
            CappingJson.write(m.cap(), o.putObject("cap"));
        }
        if (m.cupedLookback() != null) {
            o.putObject("cuped").put("lookback", m.cupedLookback().toString());
        }
        if (m.denominator() != null) {
            o.putObject("denominator").put("event", m.denominator().event()).put("value", m.denominator().value());
        }
    }

    private static void refuseUnknown(JsonNode o, Set<String> fields, String where) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "'");
            }
        }
    }

    private static boolean present(JsonNode o, String field) {
        return o.hasNonNull(field);
    }

    private static String text(JsonNode o, String field, String label) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(label + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static Double number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException("analysis." + field + " must be a number, got " + v);
        }
        return v.asDouble();
    }
}
