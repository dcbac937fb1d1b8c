package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.Sides;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CUPED live: a metric with a {@code cuped} lookback is analysed from the totals' Σp, Σp², Σx·p
 * exactly as {@code analyze} analyses the same CUPED sums (θ pooled across arms), its interval
 * narrows with a correlated covariate, and with several phases it is analysed unadjusted.
 */
class ResultsCalculatorCupedTest {
    private static final RewardSpec REWARD = new RewardSpec("Order Completed", "conversion", Duration.ofDays(1));
    private static final MetricSpec CUPED = new MetricSpec("revenue", "Order Completed", "revenue", Duration.ofDays(7),
            MetricSpec.Desired.INCREASE, null, Duration.ofDays(14));
    private static final MetricSpec PLAIN = new MetricSpec("revenue_plain", "Order Completed", "revenue",
            Duration.ofDays(7), MetricSpec.Desired.INCREASE);

    static ExperimentDefinition definition(Method method) {
        return ExperimentDefinition.builder("e").arms("control", "treatment").reward(REWARD)
                .analysis(new AnalysisSpec(method, 0.05, true, Sides.TWO, 5000, null, 0, null, null, List.of(CUPED, PLAIN)))
                .build();
    }

    /** n users per arm with pre-period p ~ Gamma-ish and x = 0.8 p + noise (+ lift in treatment), seeded. */
    static ResultsTotals totals(long phase, int n, double lift, long seed, ResultsTotals t) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (String arm : List.of("control", "treatment")) {
            String g = ResultsTotals.phased(ResultsTotals.arm(arm), phase);
            t.addUsers(g, n);
            for (int i = 0; i < n; i++) {
                double p = 10 * -Math.log(1 - rng.nextDouble());
                double x = 0.8 * p + 3 * rng.nextGaussian() + (arm.equals("treatment") ? lift : 0) + 5;
                t.addMetric(g, CUPED.name(), x, x * x);
                t.addCovariate(g, CUPED.name(), p, p * p, x * p);
                t.addMetric(g, PLAIN.name(), x, x * x);
            }
        }
        return t;
    }

    private static AnalysisResult guardrail(ExperimentResult r, String name) {
        return r.guardrails().stream().filter(g -> g.metric().name().equals(name)).findFirst().orElseThrow().result();
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"FIXED", "SEQUENTIAL", "MSPRT"})
    void equalsAnalyzeOnTheSameSumsAndNarrowsTheInterval(Method method) {
        ResultsTotals t = totals(ResultsTotals.FIRST_PHASE, 2000, 0.5, 12, new ResultsTotals());
        ExperimentResult r = ResultsCalculator.compute(definition(method), t, new ResultsMemory());

        List<ArmInput> arms = List.of("control", "treatment").stream().map(a -> {
            CupedStats c = t.cupedStats(ResultsTotals.FIRST_PHASE, ResultsTotals.arm(a), CUPED.name());
            return new ArmInput(a, c.post(), c);
        }).toList();
        AnalysisResult expected = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN).method(method)
                .relative(true).alpha(0.05).sides(Sides.TWO).arms(arms).build());
        AnalysisResult live = guardrail(r, CUPED.name());
        assertThat(live.comparisons()).isEqualTo(expected.comparisons());
        assertThat(live.arms()).isEqualTo(expected.arms());

        AnalysisResult.Comparison adjusted = live.comparisons().get(0);
        AnalysisResult.Comparison plain = guardrail(r, PLAIN.name()).comparisons().get(0);
        // Corr(x, p) ≈ 0.8·10/√(64 + 9) ≈ 0.94: the variance shrinks by 1 − ρ² ≈ 0.12.
        double varianceRatio = Math.pow(adjusted.se() / plain.se(), 2);
        assertThat(varianceRatio).isBetween(0.08, 0.18);
        assertThat(adjusted.ciUpper() - adjusted.ciLower()).isLessThan(0.5 * (plain.ciUpper() - plain.ciLower()));
    }

    @Test
    void severalPhasesAreAnalysedUnadjusted() {
        ResultsTotals t = totals(ResultsTotals.FIRST_PHASE, 500, 0.5, 3, new ResultsTotals());
        totals(1_000_000L, 500, 0.5, 4, t);
        ExperimentResult r = ResultsCalculator.compute(definition(Method.FIXED), t, new ResultsMemory());
        assertThat(guardrail(r, CUPED.name()).comparisons()).isEqualTo(guardrail(r, PLAIN.name()).comparisons());
    }
}
