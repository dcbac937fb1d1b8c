package io.liftstream.jobs.analyze;

import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Capping;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.RatioStats;
import io.liftstream.experiments.stats.SampleStats;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code arms} of an {@code analyze} line. Each arm gives either its sufficient statistics or
 * its units' values, one number per user:
 * <pre>{@code
 * {"name": "a", "n": 100, "sum": 270, "sum_squares": 848.79}                       mean / proportion
 * {"name": "a", "n": …, "sum": …, "sum_squares": …, "pre": {"sum": …, "sum_squares": …},
 *  "sum_product": …}                                                               with CUPED
 * {"name": "a", "n": 100, "sum": 270, "sum_squares": 848.79,
 *  "denominator": {"sum": 510, "sum_squares": 810, "sum_product": -900}}           ratio (metric "ratio")
 * {"name": "a", "values": [12.5, 0, 310]}                                          per-user values
 * {"name": "a", "values": […], "pre": {"values": […]}}                             … with CUPED
 * {"name": "a", "values": [revenue…], "denominator": {"values": [orders…]}}        … of a ratio
 * }</pre>
 * For a ratio, {@code sum}/{@code sum_squares} are the numerator's and the denominator's
 * {@code sum_product} is Σ numerator·denominator over the users. A {@code cap} on the line caps every
 * user's value before the sums, as GrowthBook does (its SQL, {@code fact-metrics/metric-data.ts}):
 * the CUPED covariate at the same threshold as the value (computed from the experiment-period
 * values), a ratio's numerator and denominator each at its own threshold (the same absolute value;
 * each column's own percentile). It needs per-user values on every arm.
 */
final class AnalyzeArms {
    private static final Set<String> ARM_FIELDS = Set.of("name", "n", "sum", "sum_squares", "pre", "sum_product",
            "denominator", "values");

    private AnalyzeArms() {}

    /** One arm as given: sums, or per-user values (pre and den aligned with values when present). */
    private record Given(String name, String where, ArmInput sums, double[] values, double[] pre, double[] den) {}

    static List<ArmInput> read(JsonNode arms, MetricType metric, boolean ratio, Capping cap) {
        if (!arms.isArray()) {
            throw new IllegalArgumentException("arms must be an array");
        }
        List<Given> given = new ArrayList<>(arms.size());
        for (int i = 0; i < arms.size(); i++) {
            given.add(arm(arms.get(i), "arms[" + i + "]", metric, ratio));
        }
        double threshold = Double.POSITIVE_INFINITY;
        double denominatorThreshold = Double.POSITIVE_INFINITY;
        if (cap != null) {
            if (metric == MetricType.PROPORTION) {
                throw new IllegalArgumentException("cap: a proportion (0 or 1 per user) cannot be capped");
            }
            for (Given g : given) {
                if (g.values == null) {
                    throw new IllegalArgumentException("cap needs per-user values: " + g.where + " gives sums");
                }
            }
            threshold = cap.threshold(pooled(given, false));
            if (given.stream().anyMatch(g -> g.den != null)) {
                denominatorThreshold = cap.threshold(pooled(given, true));
            }
        }
        List<ArmInput> out = new ArrayList<>(given.size());
        for (Given g : given) {
            out.add(g.sums != null ? g.sums : fromValues(g, threshold, denominatorThreshold));
        }
        return out;
    }

    private static double[] pooled(List<Given> given, boolean denominators) {
        return given.stream().flatMapToDouble(g -> java.util.Arrays.stream(denominators
                ? (g.den == null ? new double[0] : g.den) : g.values)).toArray();
    }

    private static ArmInput fromValues(Given g, double threshold, double denominatorThreshold) {
        double[] v = g.values;
        if (g.den != null) {
            RatioStats r = RatioStats.EMPTY;
            for (int i = 0; i < v.length; i++) {
                r = r.add(Capping.cap(v[i], threshold), Capping.cap(g.den[i], denominatorThreshold));
            }
            return ArmInput.ratio(g.name, r);
        }
        if (g.pre != null) {
            CupedStats c = CupedStats.EMPTY;
            for (int i = 0; i < v.length; i++) {
                c = c.add(Capping.cap(v[i], threshold), Capping.cap(g.pre[i], threshold));
            }
            return new ArmInput(g.name, c.post(), c);
        }
        return ArmInput.of(g.name, Capping.cappedStats(v, threshold));
    }

    private static Given arm(JsonNode a, String where, MetricType metric, boolean ratio) {
        if (!a.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ARM_FIELDS.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "'");
            }
        }
        String name = AnalyzeRequestCodec.text(AnalyzeRequestCodec.required(a, "name", where + ".name"), where + ".name");
        where = "arm '" + name + "'";
        boolean hasDen = AnalyzeRequestCodec.present(a, "denominator");
        if (ratio && !hasDen) {
            throw new IllegalArgumentException(where + ".denominator is required for metric \"ratio\"");
        }
        if (!ratio && hasDen) {
            throw new IllegalArgumentException(where + ".denominator is only for metric \"ratio\"");
        }
        if (ratio && AnalyzeRequestCodec.present(a, "pre")) {
            throw new IllegalArgumentException(where + ": CUPED is not supported for ratio metrics");
        }
        if (AnalyzeRequestCodec.present(a, "values")) {
            return values(a, name, where, metric);
        }
        long n = AnalyzeRequestCodec.integer(AnalyzeRequestCodec.required(a, "n", where + ".n"), where + ".n");
        double sum = AnalyzeRequestCodec.number(AnalyzeRequestCodec.required(a, "sum", where + ".sum"), where + ".sum");
        double sumSquares;
        if (AnalyzeRequestCodec.present(a, "sum_squares")) {
            sumSquares = AnalyzeRequestCodec.number(a.get("sum_squares"), where + ".sum_squares");
        } else if (metric == MetricType.PROPORTION) {
            sumSquares = sum; // 0/1 values: x² = x
        } else {
            throw new IllegalArgumentException(where + ".sum_squares is required for a mean metric");
        }
        SampleStats stats = SampleStats.of(n, sum, sumSquares);
        if (ratio) {
            JsonNode d = object(a.get("denominator"), where + ".denominator",
                    "{\"sum\":…,\"sum_squares\":…,\"sum_product\":…}");
            if (AnalyzeRequestCodec.present(a, "sum_product")) {
                throw new IllegalArgumentException(where + ": a ratio's sum_product goes in denominator.sum_product");
            }
            double dSum = num(d, "sum", where + ".denominator.sum");
            double dSq = num(d, "sum_squares", where + ".denominator.sum_squares");
            double product = num(d, "sum_product", where + ".denominator.sum_product");
            return new Given(name, where, ArmInput.ratio(name, new RatioStats(stats, SampleStats.of(n, dSum, dSq), product)),
                    null, null, null);
        }
        CupedStats cuped = null;
        if (AnalyzeRequestCodec.present(a, "pre") || AnalyzeRequestCodec.present(a, "sum_product")) {
            JsonNode pre = object(AnalyzeRequestCodec.required(a, "pre", where + ".pre"), where + ".pre",
                    "{\"sum\":…,\"sum_squares\":…}");
            double preSum = num(pre, "sum", where + ".pre.sum");
            double preSq = num(pre, "sum_squares", where + ".pre.sum_squares");
            double product = num(a, "sum_product", where + ".sum_product");
            cuped = new CupedStats(stats, SampleStats.of(n, preSum, preSq), product);
        }
        return new Given(name, where, new ArmInput(name, stats, cuped), null, null, null);
    }

    private static Given values(JsonNode a, String name, String where, MetricType metric) {
        for (String sumsField : List.of("n", "sum", "sum_squares", "sum_product")) {
            if (AnalyzeRequestCodec.present(a, sumsField)) {
                throw new IllegalArgumentException(where + ": give either values or n/sum/sum_squares, not both");
            }
        }
        double[] values = AnalyzeRequestCodec.numbers(a.get("values"), where + ".values");
        if (metric == MetricType.PROPORTION) {
            for (double v : values) {
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException(where + ".values of a proportion must be 0 or 1, was " + v);
                }
            }
        }
        double[] pre = aligned(a, "pre", where, values.length);
        double[] den = aligned(a, "denominator", where, values.length);
        return new Given(name, where, null, values, pre, den);
    }

    /** {@code field}'s {"values": […]}, as many as the arm's values; null when absent. */
    private static double[] aligned(JsonNode a, String field, String where, int length) {
        if (!AnalyzeRequestCodec.present(a, field)) {
            return null;
        }
        JsonNode o = object(a.get(field), where + "." + field, "{\"values\": […]} (one per user, as values)");
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            if (!"values".equals(it.next())) {
                throw new IllegalArgumentException(where + "." + field + " must be {\"values\": […]} when the arm gives values");
            }
        }
        double[] v = AnalyzeRequestCodec.numbers(AnalyzeRequestCodec.required(o, "values", where + "." + field + ".values"),
                where + "." + field + ".values");
        if (v.length != length) {
            throw new IllegalArgumentException(where + "." + field + ".values must have one number per user ("
                    + length + "), had " + v.length);
        }
        return v;
    }

    private static JsonNode object(JsonNode v, String label, String shape) {
        if (!v.isObject()) {
            throw new IllegalArgumentException(label + " must be an object " + shape);
        }
        return v;
    }

    private static double num(JsonNode o, String field, String label) {
        return AnalyzeRequestCodec.number(AnalyzeRequestCodec.required(o, field, label), label);
    }
}
