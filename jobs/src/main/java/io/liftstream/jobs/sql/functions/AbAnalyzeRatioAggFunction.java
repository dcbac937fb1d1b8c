package io.liftstream.jobs.sql.functions;

import io.liftstream.jobs.analyze.AnalyzeJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.table.functions.AggregateFunction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code AB_ANALYZE_RATIO_AGG(arm STRING, numerator DOUBLE, denominator DOUBLE, request STRING) -> STRING}:
 * {@link AbAnalyzeAggFunction} for a ratio metric (e.g. revenue per order): accumulates each arm's
 * {@link RatioStatsFunction} statistics from one row per unit (user) and returns the line
 * {@code ./liftstream analyze} writes for {@code request} (which says {@code "metric": "ratio"})
 * with the arms added. Arm order as in {@code AB_ANALYZE_AGG}. Rows with a NULL arm, numerator or
 * denominator are skipped. Retractable and mergeable.
 */
public final class AbAnalyzeRatioAggFunction extends AggregateFunction<String, AbAnalyzeRatioAggFunction.Acc> {
    public static final String NAME = "AB_ANALYZE_RATIO_AGG";

    /** Per arm its ratio statistics; and the request. */
    public static final class Acc {
        public Map<String, RatioStatsFunction.Acc> arms = new HashMap<>();
        public String request;
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, String arm, Double numerator, Double denominator, String request) {
        if (arm == null || numerator == null || denominator == null) {
            return;
        }
        if (acc.request == null) {
            acc.request = request;
        }
        acc.arms.computeIfAbsent(arm, k -> new RatioStatsFunction.Acc()).add(numerator, denominator, 1);
    }

    public void retract(Acc acc, String arm, Double numerator, Double denominator, String request) {
        if (arm == null || numerator == null || denominator == null) {
            return;
        }
        RatioStatsFunction.Acc a = acc.arms.computeIfAbsent(arm, k -> new RatioStatsFunction.Acc());
        a.add(numerator, denominator, -1);
        if (a.n == 0) {
            acc.arms.remove(arm);
        }
    }

    public void merge(Acc acc, Iterable<Acc> others) {
        for (Acc o : others) {
            if (acc.request == null) {
                acc.request = o.request;
            }
            o.arms.forEach((k, v) -> {
                RatioStatsFunction.Acc a = acc.arms.computeIfAbsent(k, x -> new RatioStatsFunction.Acc());
                new RatioStatsFunction().merge(a, List.of(v));
            });
        }
    }

    @Override
    public String getValue(Acc acc) {
        if (acc.request == null) {
            return null;
        }
        ObjectNode request = AbAnalyzeAggFunction.requestObject(acc.request);
        if (request == null) {
            return AnalyzeJson.answer(acc.request);
        }
        List<String> order;
        try {
            order = AbAnalyzeAggFunction.armOrder(request, acc.arms.keySet());
        } catch (IllegalArgumentException e) {
            return AbAnalyzeAggFunction.error(request, e.getMessage());
        }
        ArrayNode arms = request.putArray("arms");
        for (String name : order) {
            RatioStatsFunction.Acc a = acc.arms.getOrDefault(name, new RatioStatsFunction.Acc());
            ObjectNode arm = arms.addObject().put("name", name).put("n", a.n).put("sum", a.sum).put("sum_squares", a.sumSquares);
            arm.putObject("denominator").put("sum", a.denominatorSum).put("sum_squares", a.denominatorSumSquares)
                    .put("sum_product", a.sumProduct);
        }
        return AnalyzeJson.answer(request.toString());
    }
}
