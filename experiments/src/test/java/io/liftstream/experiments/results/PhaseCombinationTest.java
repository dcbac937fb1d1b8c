package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

/** Combining phases by traffic: golden values, and A/A error rate and coverage by simulation. */
class PhaseCombinationTest {

    /** Means and variances by hand: weights 0.6 and 0.4 (traffic 600 and 400). */
    @Test
    void combinesByTrafficWithTheSameWeightsForEveryArm() {
        List<List<SampleStats>> phases = List.of(
                List.of(SampleStats.of(500, 50, 50), SampleStats.of(100, 12, 12)),
                List.of(SampleStats.of(200, 10, 10), SampleStats.of(200, 16, 16)));
        List<SampleStats> c = PhaseCombination.combine(phases, MetricType.PROPORTION);
        // control: 0.6·0.10 + 0.4·0.05 = 0.08; treatment: 0.6·0.12 + 0.4·0.08 = 0.104
        assertThat(c.get(0).n()).isEqualTo(700);
        assertThat(c.get(0).mean()).isCloseTo(0.08, within(1e-15));
        assertThat(c.get(1).mean()).isCloseTo(0.104, within(1e-15));
        // Var(mean): 0.36·0.09/500 + 0.16·0.0475/200 = 1.028e-4; treatment 0.36·0.1056/100 + 0.16·0.0736/200 = 4.3904e-4
        assertThat(c.get(0).variance(MetricType.MEAN) / 700).isCloseTo(1.028e-4, within(1e-15));
        assertThat(c.get(1).variance(MetricType.MEAN) / 300).isCloseTo(4.3904e-4, within(1e-15));
    }

    /**
     * 4,000 simulated A/A tests whose weights go from 90/10 (50,000 users, base rate 10 %) to 50/50
     * (50,000 users, 5 %), read once at the end at α = 0.05, relative lift: combined by phase the
     * false-positive rate is α within Monte-Carlo error (sd 0.0034; measured 0.049), i.e. the
     * interval covers the true lift 0 in 95 % of runs; pooled it is nearly always "significant".
     * (At a tenth of the size, 50 conversions in the smallest cell, the rate is 0.0585: the normal
     * approximation of a relative lift with few conversions, 0.052 for the 90/10 phase alone.)
     */
    @Test
    void anAaTestAcrossAWeightChangeHasItsNominalErrorRate() {
        SplittableRandom random = new SplittableRandom(12);
        int runs = 4000;
        int combinedRejections = 0;
        int pooledRejections = 0;
        for (int run = 0; run < runs; run++) {
            SampleStats c1 = users(random, 45000, 0.10);
            SampleStats t1 = users(random, 5000, 0.10);
            SampleStats c2 = users(random, 25000, 0.05);
            SampleStats t2 = users(random, 25000, 0.05);
            List<SampleStats> combined = PhaseCombination.combine(List.of(List.of(c1, t1), List.of(c2, t2)),
                    MetricType.PROPORTION);
            combinedRejections += significant(combined.get(0), combined.get(1), MetricType.MEAN) ? 1 : 0;
            pooledRejections += significant(c1.merge(c2), t1.merge(t2), MetricType.PROPORTION) ? 1 : 0;
        }
        double rate = (double) combinedRejections / runs;
        assertThat(rate).isBetween(0.05 - 3 * 0.0034, 0.05 + 3 * 0.0034);
        assertThat((double) pooledRejections / runs).isGreaterThan(0.9);
    }

    private static boolean significant(SampleStats control, SampleStats treatment, MetricType type) {
        AnalysisResult r = Analyzer.analyze(AnalysisRequest.builder().metric(type).method(Method.FIXED)
                .arms(List.of(ArmInput.of("c", control), ArmInput.of("t", treatment))).build());
        AnalysisResult.Comparison c = r.comparisons().get(0);
        return c.status().ok() && (c.ciLower() > 0 || c.ciUpper() < 0);
    }

    private static SampleStats users(SplittableRandom random, int n, double rate) {
        long converted = 0;
        for (int i = 0; i < n; i++) {
            converted += random.nextDouble() < rate ? 1 : 0;
        }
        return SampleStats.of(n, converted, converted);
    }
}
