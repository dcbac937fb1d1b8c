package io.liftstream.jobs.analyze;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.Capping;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.PValueCorrection;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.bayesian.EffectPrior;
import io.liftstream.jobs.experiments.CappingJson;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one {@code analyze} input object into an {@link AnalysisRequest}. Every problem is an
 * {@link IllegalArgumentException} whose message names the field, so the error line can say why.
 * Unknown fields are rejected: a misspelt option silently ignored would change a statistical answer.
 */
final class AnalyzeRequestCodec {
    private static final Set<String> FIELDS = Set.of("id", "metric", "method", "relative", "alpha", "sides",
            "sequential_tuning", "msprt_tau2", "previous_p_value", "gst", "prior", "confidence_level", "win_risk",
            "control", "weights", "arms", "correction", "previous_sequential_srm_p_value", "cap", "previous_interval");

    private AnalyzeRequestCodec() {}

    static AnalysisRequest read(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("a line must be a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'");
            }
        }
        if (!present(o, "id")) {
            throw new IllegalArgumentException("id is required");
        }
        AnalysisRequest.Builder b = AnalysisRequest.builder();
        String metricName = requiredText(o, "metric");
        MetricType metric = switch (metricName) {
            case "mean", "ratio" -> MetricType.MEAN; // a ratio's numerator and denominator are means
            case "proportion" -> MetricType.PROPORTION;
            default -> throw new IllegalArgumentException("metric must be \"mean\", \"proportion\" or \"ratio\", was \"" + o.get("metric").asText() + "\"");
        };
        b.metric(metric);
        String method = requiredText(o, "method");
        b.method(switch (method) {
            case "fixed" -> Method.FIXED;
            case "sequential" -> Method.SEQUENTIAL;
            case "msprt" -> Method.MSPRT;
            case "gst" -> Method.GST;
            case "bayesian" -> Method.BAYESIAN;
            default -> throw new IllegalArgumentException(
                    "method must be one of fixed, sequential, msprt, gst, bayesian; was \"" + method + "\"");
        });
        if (present(o, "relative")) {
            b.relative(bool(o.get("relative"), "relative"));
        }
        if (present(o, "alpha")) {
            b.alpha(number(o.get("alpha"), "alpha"));
        }
        if (present(o, "sides")) {
            String sides = text(o.get("sides"), "sides");
            b.sides(switch (sides) {
                case "two" -> Sides.TWO;
                case "greater" -> Sides.GREATER;
                case "lesser" -> Sides.LESSER;
                default -> throw new IllegalArgumentException("sides must be \"two\", \"greater\" or \"lesser\", was \"" + sides + "\"");
            });
        }
        if (present(o, "sequential_tuning")) {
            b.sequentialTuning(number(o.get("sequential_tuning"), "sequential_tuning"));
        }
        if (present(o, "msprt_tau2")) {
            b.msprtTau2(number(o.get("msprt_tau2"), "msprt_tau2"));
        }
        if (present(o, "previous_p_value")) {
            JsonNode p = o.get("previous_p_value");
            b.previousPValues(p.isArray() ? numbers(p, "previous_p_value") : new double[] {number(p, "previous_p_value")});
        }
        if (present(o, "gst")) {
            JsonNode g = o.get("gst");
            if (!g.isObject()) {
                throw new IllegalArgumentException("gst must be an object {\"max_n\":…,\"looks_n\":[…]}");
            }
            if (!present(g, "max_n")) {
                throw new IllegalArgumentException("gst.max_n is required");
            }
            long maxN = integer(g.get("max_n"), "gst.max_n");
            double[] looks = present(g, "looks_n") ? numbers(g.get("looks_n"), "gst.looks_n") : new double[0];
            long[] looksN = new long[looks.length];
            for (int i = 0; i < looks.length; i++) {
                if (looks[i] != Math.rint(looks[i])) {
                    throw new IllegalArgumentException("gst.looks_n must be whole numbers");
                }
                looksN[i] = (long) looks[i];
            }
            b.gst(maxN, looksN);
        }
        if (present(o, "prior")) {
            JsonNode p = o.get("prior");
            if (!p.isObject()) {
                throw new IllegalArgumentException("prior must be an object {\"mean\":…,\"variance\":…,\"proper\":…}");
            }
            double mean = present(p, "mean") ? number(p.get("mean"), "prior.mean") : 0.0;
            double variance = present(p, "variance") ? number(p.get("variance"), "prior.variance") : EffectPrior.DEFAULT_VARIANCE;
            boolean proper = present(p, "proper") && bool(p.get("proper"), "prior.proper");
            b.prior(new EffectPrior(mean, variance, proper));
        }
        if (present(o, "confidence_level")) {
            b.confidenceLevel(number(o.get("confidence_level"), "confidence_level"));
        }
        if (present(o, "win_risk")) {
            b.winRisk(number(o.get("win_risk"), "win_risk"));
        }
        if (present(o, "control")) {
            b.control(text(o.get("control"), "control"));
        }
        if (present(o, "weights")) {
            b.weights(numbers(o.get("weights"), "weights"));
        }
        if (present(o, "correction")) {
            String c = text(o.get("correction"), "correction");
            b.correction(switch (c.toLowerCase(Locale.ROOT)) {
                case "holm" -> PValueCorrection.HOLM;
                case "bh", "benjamini-hochberg" -> PValueCorrection.BENJAMINI_HOCHBERG;
                default -> throw new IllegalArgumentException("correction must be \"holm\" or \"bh\", was \"" + c + "\"");
            });
        }
        if (present(o, "previous_sequential_srm_p_value")) {
            b.previousSequentialSrmPValue(number(o.get("previous_sequential_srm_p_value"), "previous_sequential_srm_p_value"));
        }
        if (!present(o, "arms")) {
            throw new IllegalArgumentException("arms is required");
        }
        Capping cap = present(o, "cap") ? CappingJson.parse(o.get("cap"), "cap") : null;
        b.arms(AnalyzeArms.read(o.get("arms"), metric, "ratio".equals(metricName), cap));
        AnalysisRequest request = b.build();
        previousInterval(o, request);
        return request;
    }

    /**
     * {@code previous_interval}: the interval the previous look returned ({@code [ci_lower,
     * ci_upper]}, null for an infinite end), for sequential and msprt with one treatment arm; the
     * answer's interval is then the running intersection (see {@code AlwaysValidLooks}). Null when
     * absent.
     */
    static double[] previousInterval(JsonNode o, AnalysisRequest request) {
        if (!present(o, "previous_interval")) {
            return null;
        }
        if (request.method() != Method.SEQUENTIAL && request.method() != Method.MSPRT) {
            throw new IllegalArgumentException("previous_interval is for the always-valid methods (sequential, msprt)");
        }
        if (request.treatments() != 1) {
            throw new IllegalArgumentException("previous_interval needs exactly one treatment arm");
        }
        JsonNode v = o.get("previous_interval");
        if (!v.isArray() || v.size() != 2) {
            throw new IllegalArgumentException("previous_interval must be [ci_lower, ci_upper] (null for an infinite end)");
        }
        double lower = v.get(0).isNull() ? Double.NEGATIVE_INFINITY : number(v.get(0), "previous_interval[0]");
        double upper = v.get(1).isNull() ? Double.POSITIVE_INFINITY : number(v.get(1), "previous_interval[1]");
        if (lower > upper) {
            throw new IllegalArgumentException("previous_interval must have ci_lower <= ci_upper");
        }
        return new double[] {lower, upper};
    }

    static boolean present(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && !v.isNull();
    }

    static JsonNode required(JsonNode o, String field, String label) {
        if (!present(o, field)) {
            throw new IllegalArgumentException(label + " is required");
        }
        return o.get(field);
    }

    private static String requiredText(JsonNode o, String field) {
        return requiredText(o, field, field);
    }

    private static String requiredText(JsonNode o, String field, String label) {
        return text(required(o, field, label), label);
    }

    static String text(JsonNode v, String label) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException(label + " must be a string");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode v, String label) {
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(label + " must be true or false");
        }
        return v.booleanValue();
    }

    static double number(JsonNode v, String label) {
        if (!v.isNumber()) {
            throw new IllegalArgumentException(label + " must be a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(label + " must be a finite number");
        }
        return d;
    }

    static long integer(JsonNode v, String label) {
        double d = number(v, label);
        if (d != Math.rint(d) || d < 0 || d > 9.0e15) {
            throw new IllegalArgumentException(label + " must be a non-negative whole number");
        }
        return (long) d;
    }

    static double[] numbers(JsonNode v, String label) {
        if (!v.isArray()) {
            throw new IllegalArgumentException(label + " must be an array of numbers");
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(v.get(i), label + "[" + i + "]");
        }
        return out;
    }
}
