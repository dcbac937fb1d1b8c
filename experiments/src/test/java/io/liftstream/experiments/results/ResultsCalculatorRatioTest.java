package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.RatioStats;
import io.liftstream.experiments.stats.Sides;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Ratio metrics live: a metric with a denominator is analysed from the totals' Σm, Σm², Σd, Σd²,
 * Σm·d exactly as {@code analyze} analyses the same {@link RatioStats} (delta method); over several
 * phases it is refused with an error, not analysed as a plain mean.
 */
class ResultsCalculatorRatioTest {
    private static final RewardSpec REWARD = new RewardSpec("Order Completed", "conversion", Duration.ofDays(1));
    private static final MetricSpec PER_ORDER = new MetricSpec("revenue_per_order", "Order Completed", "revenue",
            Duration.ofDays(7), MetricSpec.Desired.INCREASE, null, null,
            new MetricSpec.Denominator("Order Completed", "items"));

    static ExperimentDefinition definition(Method method) {
        return ExperimentDefinition.builder("e").arms("control", "treatment").reward(REWARD)
                .analysis(new AnalysisSpec(method, 0.05, true, Sides.TWO, 5000, null, 0, null, null, List.of(PER_ORDER)))
                .build();
    }

    static RatioStats[] fill(ResultsTotals t, long phase, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        RatioStats[] out = {RatioStats.EMPTY, RatioStats.EMPTY};
        String[] arms = {"control", "treatment"};
        for (int a = 0; a < 2; a++) {
            String g = ResultsTotals.phased(ResultsTotals.arm(arms[a]), phase);
            t.addUsers(g, 1500);
            for (int i = 0; i < 1500; i++) {
                double d = rng.nextInt(4); // items
                double m = d * (20 + 5 * rng.nextGaussian() + a * 1.5);
                t.addMetric(g, PER_ORDER.name(), m, m * m);
                t.addCovariate(g, PER_ORDER.name(), d, d * d, m * d);
                out[a] = out[a].add(m, d);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"FIXED", "SEQUENTIAL", "MSPRT"})
    void equalsAnalyzeOnTheSameSums(Method method) {
        ResultsTotals t = new ResultsTotals();
        RatioStats[] r = fill(t, ResultsTotals.FIRST_PHASE, 7);
        ExperimentResult live = ResultsCalculator.compute(definition(method), t, new ResultsMemory());
        AnalysisResult expected = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN).method(method)
                .relative(true).alpha(0.05).sides(Sides.TWO)
                .arms(List.of(ArmInput.ratio("control", r[0]), ArmInput.ratio("treatment", r[1]))).build());
        AnalysisResult g = live.guardrails().get(0).result();
        assertThat(g.error()).isNull();
        assertThat(g.comparisons()).isEqualTo(expected.comparisons());
        assertThat(g.arms()).isEqualTo(expected.arms());
        // Σm/Σd, not the mean of m per user: the lift is about 1.5/20.
        assertThat(g.comparisons().get(0).expected()).isBetween(0.03, 0.12);
    }

    @Test
    void severalPhasesAreRefusedWithAnError() {
        ResultsTotals t = new ResultsTotals();
        fill(t, ResultsTotals.FIRST_PHASE, 1);
        fill(t, 1_000_000L, 2);
        AnalysisResult g = ResultsCalculator.compute(definition(Method.FIXED), t, new ResultsMemory()).guardrails().get(0).result();
        assertThat(g.error()).contains("ratio metric 'revenue_per_order'").contains("2 phases");
        assertThat(g.comparisons()).isEmpty();
    }

    /** A ratio primary metric's holdout comparison is a ratio comparison of the pooled treated users. */
    @Test
    void theHoldoutComparisonOfARatioPrimaryIsARatio() {
        ExperimentDefinition d = ExperimentDefinition.builder("e").arms("control", "treatment").reward(REWARD)
                .holdoutPct(10)
                .analysis(new AnalysisSpec(Method.FIXED, 0.05, true, Sides.TWO, 5000, null, 0, null, PER_ORDER, List.of()))
                .build();
        ResultsTotals t = new ResultsTotals();
        RatioStats[] r = fill(t, ResultsTotals.FIRST_PHASE, 9);
        String held = ResultsTotals.HOLDOUT;
        t.addUsers(held, 3);
        t.addMetric(held, PER_ORDER.name(), 60, 1400);
        t.addCovariate(held, PER_ORDER.name(), 3, 5, 130);
        RatioStats holdout = RatioStats.of(3, 60, 1400, 3, 5, 130);
        AnalysisResult live = ResultsCalculator.compute(d, t, new ResultsMemory()).holdout();
        AnalysisResult expected = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN).method(Method.FIXED)
                .relative(true).alpha(0.05).sides(Sides.TWO).weights(new double[] {10, 90})
                .arms(List.of(ArmInput.ratio(held, holdout), ArmInput.ratio(ResultsCalculator.TREATED, r[0].merge(r[1]))))
                .build());
        assertThat(live.comparisons()).isEqualTo(expected.comparisons());
    }
}
