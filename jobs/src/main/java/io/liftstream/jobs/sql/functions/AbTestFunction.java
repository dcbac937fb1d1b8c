package io.liftstream.jobs.sql.functions;

import io.liftstream.jobs.serde.JsonErrors;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.jobs.analyze.AnalyzeJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code AB_TEST(method, metric, n_c, sum_c, sum_sq_c, n_t, sum_t, sum_sq_t [, settings])}: one
 * treatment against control from the two arms' sufficient statistics (units, Σx, Σx²), exactly as
 * {@code ./liftstream analyze} computes it: the arguments become an {@code analyze} input line (arms
 * {@code control} and {@code treatment}) read by the same codec and answered by the same
 * {@link Analyzer}.
 *
 * <p>{@code method}: fixed | sequential | msprt | gst | bayesian; {@code metric}: proportion |
 * mean. {@code settings} is an optional JSON object with any other {@code analyze} input field
 * ({@code alpha}, {@code relative}, {@code sides}, {@code sequential_tuning}, {@code msprt_tau2},
 * {@code previous_p_value}, {@code gst}, {@code prior}, {@code weights}, ...).
 *
 * <p>Returns {@code ROW<expected, se, ci_lower, ci_upper, p_value, chance_to_win, risk_control,
 * risk_treatment, significant, error>} with {@code analyze}'s names and meanings (NULL where
 * {@code analyze} writes null). Bad input never fails the query: {@code error} says why and the
 * numbers are NULL. Any NULL argument gives a NULL row.
 */
public final class AbTestFunction extends ScalarFunction {
    public static final String NAME = "AB_TEST";
    static final String RESULT = "ROW<expected DOUBLE, se DOUBLE, ci_lower DOUBLE, ci_upper DOUBLE, p_value DOUBLE, "
            + "chance_to_win DOUBLE, risk_control DOUBLE, risk_treatment DOUBLE, significant BOOLEAN, error STRING>";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> RESERVED = Set.of("id", "metric", "method", "arms");

    public @DataTypeHint(RESULT) Row eval(String method, String metric, Long nC, Double sumC, Double sumSquaresC,
            Long nT, Double sumT, Double sumSquaresT) {
        return eval(method, metric, nC, sumC, sumSquaresC, nT, sumT, sumSquaresT, null);
    }

    public @DataTypeHint(RESULT) Row eval(String method, String metric, Long nC, Double sumC, Double sumSquaresC,
            Long nT, Double sumT, Double sumSquaresT, String settings) {
        if (method == null || metric == null || nC == null || sumC == null || sumSquaresC == null || nT == null
                || sumT == null || sumSquaresT == null) {
            return null;
        }
        ObjectNode request = MAPPER.createObjectNode();
        request.put("id", NAME);
        request.put("metric", metric);
        request.put("method", method);
        ArrayNode arms = request.putArray("arms");
        arms.addObject().put("name", "control").put("n", nC).put("sum", sumC).put("sum_squares", sumSquaresC);
        arms.addObject().put("name", "treatment").put("n", nT).put("sum", sumT).put("sum_squares", sumSquaresT);
        try {
            if (settings != null && !settings.isBlank()) {
                JsonNode s = MAPPER.readTree(settings);
                if (s == null || !s.isObject()) {
                    return failed("settings must be a JSON object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (RESERVED.contains(e.getKey())) {
                        return failed("settings must not contain '" + e.getKey() + "': it is an argument of " + NAME);
                    }
                    request.set(e.getKey(), e.getValue());
                }
            }
            AnalysisResult result = AnalyzeJson.analyze(request);
            AnalysisResult.Comparison c = result.comparisons().get(0);
            if (!c.status().ok()) {
                return failed(result.error());
            }
            return Row.of(number(c.expected()), number(c.se()), number(c.ciLower()), number(c.ciUpper()),
                    number(c.pValue()), number(c.chanceToWin()), number(c.riskControl()), number(c.riskTreatment()),
                    c.significant(), null);
        } catch (IllegalArgumentException e) {
            return failed(e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return failed("settings are not valid JSON: " + JsonErrors.describe(e));
        }
    }

    private static Row failed(String error) {
        return Row.of(null, null, null, null, null, null, null, null, false, error);
    }

    /** As the analyze codec: numbers that do not exist (NaN, the infinite end of an interval) are NULL. */
    static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
