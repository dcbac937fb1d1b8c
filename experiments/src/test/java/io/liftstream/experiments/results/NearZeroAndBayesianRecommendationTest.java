package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.Status;
import io.liftstream.experiments.stats.bayesian.EffectPrior;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

/** The recommendation for defects 11 (Bayesian rule and prior) and 12 (control mean near 0) of issue 12. */
class NearZeroAndBayesianRecommendationTest {
    private static final RewardSpec REWARD = new RewardSpec("Order Completed", "conversion", Duration.ofDays(1));

    private static ExperimentDefinition definition(AnalysisSpec spec) {
        // Bayesian recommendations are read when the experiment is stopped (Recommender).
        ExperimentDefinition.Builder b = ExperimentDefinition.builder("e").arms("control", "treatment").reward(REWARD)
                .analysis(spec);
        if (spec.method() == Method.BAYESIAN) {
            b.status(ExperimentStatus.STOPPED);
        }
        return b.build();
    }

    private static AnalysisSpec spec(Method method) {
        return new AnalysisSpec(method, 0.05, true, Sides.TWO, 5000, null, method == Method.GST ? 20_000 : 0, null,
                null, List.of());
    }

    private static ResultsTotals totals(long controlUsers, long controlConversions, long treatmentUsers,
            long treatmentConversions) {
        ResultsTotals t = new ResultsTotals();
        t.addUsers(ResultsTotals.arm("control"), controlUsers);
        t.addMetric(ResultsTotals.arm("control"), MetricSpec.REWARD_NAME, controlConversions, controlConversions);
        t.addUsers(ResultsTotals.arm("treatment"), treatmentUsers);
        t.addMetric(ResultsTotals.arm("treatment"), MetricSpec.REWARD_NAME, treatmentConversions, treatmentConversions);
        return t;
    }

    /**
     * 1/1000 against 120/1000: the relative interval [−117, 355] decides nothing (the old result was
     * "continue"); the absolute difference, +0.119, ships the treatment.
     */
    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"SEQUENTIAL", "MSPRT", "GST", "BAYESIAN"})
    void aControlMeanNearZeroIsDecidedOnTheAbsoluteDifference(Method method) {
        ExperimentResult r = ResultsCalculator.compute(definition(spec(method)), totals(1000, 1, 1000, 120),
                new ResultsMemory());
        AnalysisResult.Comparison c = r.primary().comparisons().get(0);
        assertThat(c.status()).isEqualTo(Status.RELATIVE_LIFT_UNRELIABLE);
        assertThat(c.significant()).isFalse();
        assertThat(c.absolute().significant()).isTrue();
        assertThat(r.recommendation().action()).isEqualTo("ship treatment");
        assertThat(r.recommendation().reason()).contains("relative lift unreliable (control mean near 0)")
                .contains("absolute difference 0.119");
    }

    /** Reversed (120/1000 against 1/1000 is not near 0: control is 12 %); 1/1000 as the treatment stops. */
    @Test
    void aTreatmentFallingToNearZeroStops() {
        ExperimentResult r = ResultsCalculator.compute(definition(spec(Method.SEQUENTIAL)), totals(1000, 120, 1000, 1),
                new ResultsMemory());
        assertThat(r.primary().comparisons().get(0).status()).isEqualTo(Status.OK);
        assertThat(r.recommendation().action()).isEqualTo(Recommendation.STOP);
    }

    /** The analysis spec's proper prior reaches the live results: N(0, 0.3²) shrinks a small-sample lift. */
    @Test
    void theSpecsPriorIsUsedByTheResultsJob() {
        ResultsTotals t = totals(2000, 200, 2000, 236);
        AnalysisResult.Comparison flat = ResultsCalculator.compute(definition(spec(Method.BAYESIAN)), t,
                new ResultsMemory()).primary().comparisons().get(0);
        AnalysisSpec withPrior = new AnalysisSpec(Method.BAYESIAN, 0.05, true, Sides.TWO, 5000, null, 0, null, null,
                List.of(), EffectPrior.relative(true, 0, EffectPrior.DEFAULT_STDDEV), null, null);
        AnalysisResult.Comparison proper = ResultsCalculator.compute(definition(withPrior), t, new ResultsMemory())
                .primary().comparisons().get(0);
        double v = flat.se() * flat.se();
        assertThat(proper.expected()).isCloseTo(flat.expected() * 0.09 / (0.09 + v), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(proper.chanceToWin()).isLessThan(flat.chanceToWin());
    }

    /** 95 % chance to win ships under the default rule (it needed 97.5 % before); confidence_level 0.975 does not. */
    @Test
    void bayesianShipsAtNinetyFivePercentAndHonoursTheSpecsThresholds() {
        ResultsTotals t = totals(10_000, 1000, 10_000, 1074);
        ExperimentResult r = ResultsCalculator.compute(definition(spec(Method.BAYESIAN)), t, new ResultsMemory());
        assertThat(r.primary().comparisons().get(0).chanceToWin()).isBetween(0.95, 0.975);
        assertThat(r.recommendation().action()).isEqualTo("ship treatment");
        AnalysisSpec strict = new AnalysisSpec(Method.BAYESIAN, 0.05, true, Sides.TWO, 5000, null, 0, null, null,
                List.of(), null, 0.975, null);
        assertThat(ResultsCalculator.compute(definition(strict), t, new ResultsMemory()).recommendation().action())
                .isEqualTo(Recommendation.STOP);
        AnalysisSpec riskAverse = new AnalysisSpec(Method.BAYESIAN, 0.05, true, Sides.TWO, 5000, null, 0, null, null,
                List.of(), null, null, 0.0001);
        assertThat(ResultsCalculator.compute(definition(riskAverse), t, new ResultsMemory()).recommendation().action())
                .isEqualTo(Recommendation.STOP);
    }

    /** While the experiment runs a chance to win is not acted on (no error-rate guarantee under peeking). */
    @Test
    void aRunningBayesianExperimentIsReadWhenStopped() {
        ResultsTotals t = totals(10_000, 1000, 10_000, 1074);
        ExperimentDefinition running = ExperimentDefinition.builder("e").arms("control", "treatment").reward(REWARD)
                .analysis(spec(Method.BAYESIAN)).build();
        ExperimentResult r = ResultsCalculator.compute(running, t, new ResultsMemory());
        assertThat(r.primary().comparisons().get(0).significant()).isTrue();
        assertThat(r.recommendation().action()).isEqualTo(Recommendation.CONTINUE);
        assertThat(r.recommendation().reason()).contains("read it when the experiment is stopped");
    }

    @Test
    void bayesianSettingsBelongToTheBayesianMethod() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AnalysisSpec(Method.SEQUENTIAL, 0.05, true, Sides.TWO,
                5000, null, 0, null, null, List.of(), null, 0.95, null)).hasMessageContaining("apply to method bayesian only");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AnalysisSpec(Method.BAYESIAN, 0.05, true, Sides.TWO,
                5000, null, 0, null, null, List.of(), null, 1.0, null)).hasMessage("analysis.confidence_level must be in (0.5, 1), was 1.0");
    }
}
