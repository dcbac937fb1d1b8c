package io.liftstream.experiments.stats;

import static io.liftstream.experiments.stats.Golden.assertRounded5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.sequential.ConfidenceSequence;
import io.liftstream.experiments.stats.sequential.MixtureSprt;
import io.liftstream.experiments.stats.sequential.SequentialConfig;
import io.liftstream.experiments.stats.srm.ChiSquareSrm;

import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * {@link Analyzer} on the fixed, sequential and mSPRT paths: golden numbers through the whole request
 * (gbstats' Welch values), the previous p-value carried as a running minimum, the mSPRT's default τ²,
 * Holm and Benjamini–Hochberg deciding {@code significant} across treatments, and failed comparisons
 * reported by status.
 */
class AnalyzerMethodsAndAdjustmentTest {
    // gbstats test_tests.py: control A, treatment B (mean metric).
    static final SampleStats A = SampleStats.of(3407, 1396.87, 52377.9767);
    static final SampleStats B = SampleStats.of(3461, 2422.7, 134698.29);

    private static AnalysisRequest.Builder request(Method method, ArmInput... arms) {
        return AnalysisRequest.builder().metric(MetricType.MEAN).method(method).arms(List.of(arms));
    }

    @Test
    void fixedThroughTheRequestGivesGbstatsWelchValues() {
        AnalysisResult r = Analyzer.analyze(request(Method.FIXED, ArmInput.of("A", A), ArmInput.of("B", B))
                .relative(false).build());
        assertThat(r.ok()).isTrue();
        assertThat(r.error()).isNull();
        AnalysisResult.Comparison c = r.comparisons().get(0);
        assertThat(c.arm()).isEqualTo("B");
        assertThat(c.status()).isEqualTo(Status.OK);
        assertRounded5(c.expected(), 0.29);
        assertRounded5(c.se(), 0.12478);
        assertRounded5(c.ciLower(), 0.04538);
        assertRounded5(c.ciUpper(), 0.53462);
        assertRounded5(c.pValue(), 0.02016);
        assertThat(c.pValueAdjusted()).isEqualTo(c.pValue()); // one treatment: Holm leaves it
        assertThat(c.significant()).isTrue();
        assertThat(c.chanceToWin()).isNaN();
        assertThat(c.riskControl()).isNaN();
        assertThat(c.riskTreatment()).isNaN();
        assertThat(r.arms()).extracting(AnalysisResult.ArmSummary::name).containsExactly("A", "B");
        assertThat(r.arms().get(1).n()).isEqualTo(3461);
        assertThat(r.arms().get(1).mean()).isEqualTo(2422.7 / 3461);
        assertThat(r.arms().get(1).variance()).isEqualTo(B.variance(MetricType.MEAN));
        assertThat(r.srmPValue()).isEqualTo(ChiSquareSrm.pValue(new long[] {3407, 3461}, new double[] {1, 1}));
        assertThat(r.sequentialSrmPValue()).isBetween(0.0, 1.0);
    }

    @Test
    void holmAcrossTreatmentsDecidesSignificance() {
        // Two treatments with p = 0.02016 and one with p = 1 (a copy of control): Holm gives
        // 3p = 0.0605 > 0.05 to both, so neither is significant although each raw p is.
        ArmInput[] arms = {ArmInput.of("A", A), ArmInput.of("B", B), ArmInput.of("B2", B), ArmInput.of("A2", A)};
        AnalysisResult holm = Analyzer.analyze(request(Method.FIXED, arms).relative(false).build());
        List<AnalysisResult.Comparison> c = holm.comparisons();
        assertThat(c).extracting(AnalysisResult.Comparison::arm).containsExactly("B", "B2", "A2");
        assertRounded5(c.get(0).pValue(), 0.02016);
        assertThat(c.get(0).pValueAdjusted()).isCloseTo(3 * c.get(0).pValue(), within(1e-15));
        assertThat(c.get(1).pValueAdjusted()).isCloseTo(3 * c.get(0).pValue(), within(1e-15));
        assertThat(c.get(2).pValue()).isEqualTo(1.0);
        assertThat(c.get(2).pValueAdjusted()).isEqualTo(1.0);
        assertThat(c).extracting(AnalysisResult.Comparison::significant).containsExactly(false, false, false);

        // Benjamini–Hochberg: 3p/2 = 0.0302 ≤ 0.05 for both.
        AnalysisResult bh = Analyzer.analyze(request(Method.FIXED, arms).relative(false)
                .correction(PValueCorrection.BENJAMINI_HOCHBERG).build());
        assertThat(bh.comparisons().get(0).pValueAdjusted()).isCloseTo(1.5 * c.get(0).pValue(), within(1e-15));
        assertThat(bh.comparisons()).extracting(AnalysisResult.Comparison::significant).containsExactly(true, true, false);
    }

    @Test
    void controlNamedLaterIsComparedAgainstEveryOtherArm() {
        AnalysisResult r = Analyzer.analyze(request(Method.FIXED, ArmInput.of("B", B), ArmInput.of("A", A))
                .control("A").relative(false).build());
        assertThat(r.comparisons()).hasSize(1);
        assertThat(r.comparisons().get(0).arm()).isEqualTo("B");
        assertRounded5(r.comparisons().get(0).expected(), 0.29);
    }

    @Test
    void sequentialCarriesTheRunningMinimumOfThePValue() {
        AnalysisRequest fresh = request(Method.SEQUENTIAL, ArmInput.of("A", A), ArmInput.of("B", B)).build();
        AnalysisResult.Comparison first = Analyzer.analyze(fresh).comparisons().get(0);
        Effect e = Golden.effect(A, B, MetricType.MEAN, true);
        Inference cs = ConfidenceSequence.test(e, Sides.TWO, 0.05, SequentialConfig.DEFAULT);
        assertThat(first.pValue()).isEqualTo(cs.pValue());
        assertThat(first.ciLower()).isEqualTo(cs.ciLower());
        assertThat(first.ciUpper()).isEqualTo(cs.ciUpper());
        assertThat(first.pValue()).isGreaterThan(0.05);
        assertThat(first.significant()).isFalse();
        // An earlier look's smaller p-value is kept, and decides significance at p ≤ α (here exactly α).
        AnalysisResult.Comparison carried = Analyzer.analyze(request(Method.SEQUENTIAL, ArmInput.of("A", A),
                ArmInput.of("B", B)).previousPValue(0.05).build()).comparisons().get(0);
        assertThat(carried.pValue()).isEqualTo(0.05);
        assertThat(carried.significant()).isTrue();
        AnalysisResult.Comparison larger = Analyzer.analyze(request(Method.SEQUENTIAL, ArmInput.of("A", A),
                ArmInput.of("B", B)).previousPValue(0.9).build()).comparisons().get(0);
        assertThat(larger.pValue()).isEqualTo(cs.pValue());
    }

    @Test
    void eachTreatmentCarriesItsOwnPreviousPValue() {
        AnalysisResult r = Analyzer.analyze(request(Method.SEQUENTIAL, ArmInput.of("A", A), ArmInput.of("B", B),
                ArmInput.of("B2", B)).previousPValues(new double[] {1, 0.001}).build());
        Effect e = Golden.effect(A, B, MetricType.MEAN, true);
        double fresh = ConfidenceSequence.test(e, Sides.TWO, 0.05, SequentialConfig.DEFAULT).pValue();
        assertThat(r.comparisons().get(0).pValue()).isEqualTo(fresh);
        assertThat(r.comparisons().get(1).pValue()).isEqualTo(0.001);
        assertThat(r.comparisons().get(1).pValueAdjusted()).isCloseTo(0.002, within(1e-15));
        assertThat(r.comparisons().get(1).significant()).isTrue();
    }

    @Test
    void bayesianComparisonsAreNotPValueAdjusted() {
        // A large lift: chance to win ≈ 1 under any reasonable threshold; no p-value, so Holm leaves it.
        SampleStats control = SampleStats.of(10_000, 1000, 1000);
        SampleStats better = SampleStats.of(10_000, 1500, 1500);
        AnalysisResult r = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.BAYESIAN).arms(List.of(ArmInput.of("A", control), ArmInput.of("B", better),
                        ArmInput.of("C", better))).build());
        for (AnalysisResult.Comparison c : r.comparisons()) {
            assertThat(c.pValue()).isNaN();
            assertThat(c.pValueAdjusted()).isNaN();
            assertThat(c.chanceToWin()).isGreaterThan(0.999);
            assertThat(c.significant()).isTrue();
        }
    }

    @Test
    void msprtDefaultTauIsFivePercentOfTheControlMean() {
        assertThat(Analyzer.defaultTau2(true, 123)).isEqualTo(0.05 * 0.05);
        assertThat(Analyzer.defaultTau2(false, -2)).isEqualTo(0.1 * 0.1);
        assertThat(Analyzer.defaultTau2(false, 0)).isZero();
        Effect rel = Golden.effect(A, B, MetricType.MEAN, true);
        AnalysisResult.Comparison byDefault = Analyzer.analyze(request(Method.MSPRT, ArmInput.of("A", A),
                ArmInput.of("B", B)).previousPValue(0.8).build()).comparisons().get(0);
        Inference expected = MixtureSprt.test(rel, Sides.TWO, 0.05, 0.05 * 0.05, 0.8);
        assertThat(byDefault.pValue()).isEqualTo(expected.pValue());
        assertThat(byDefault.ciLower()).isEqualTo(expected.ciLower());
        assertThat(byDefault.significant()).isEqualTo(expected.significant());
        Effect abs = Golden.effect(A, B, MetricType.MEAN, false);
        double controlMean = 1396.87 / 3407;
        AnalysisResult.Comparison absolute = Analyzer.analyze(request(Method.MSPRT, ArmInput.of("A", A),
                ArmInput.of("B", B)).relative(false).build()).comparisons().get(0);
        double tau = 0.05 * controlMean;
        assertThat(absolute.pValue()).isEqualTo(MixtureSprt.test(abs, Sides.TWO, 0.05, tau * tau, 1).pValue());
        assertThat(absolute.ciUpper()).isEqualTo(MixtureSprt.test(abs, Sides.TWO, 0.05, tau * tau, 1).ciUpper());
        AnalysisResult.Comparison explicit = Analyzer.analyze(request(Method.MSPRT, ArmInput.of("A", A),
                ArmInput.of("B", B)).relative(false).msprtTau2(0.5).build()).comparisons().get(0);
        assertThat(explicit.pValue()).isEqualTo(MixtureSprt.test(abs, Sides.TWO, 0.05, 0.5, 1).pValue());
    }

    @Test
    void msprtWithAZeroControlMeanFallsBackToATinyTau() {
        // Absolute lift, control values ±1 (mean 0): the default τ² would be 0; 1e-12 is used.
        SampleStats zeroMean = SampleStats.of(100, 0, 100);
        SampleStats shifted = SampleStats.of(100, 20, 104);
        AnalysisResult.Comparison c = Analyzer.analyze(request(Method.MSPRT, ArmInput.of("A", zeroMean),
                ArmInput.of("B", shifted)).relative(false).build()).comparisons().get(0);
        Effect e = Golden.effect(zeroMean, shifted, MetricType.MEAN, false);
        assertThat(c.pValue()).isEqualTo(MixtureSprt.test(e, Sides.TWO, 0.05, 1e-12, 1).pValue());
        assertThat(c.ciLower()).isEqualTo(MixtureSprt.test(e, Sides.TWO, 0.05, 1e-12, 1).ciLower());
    }

    @Test
    void aComparisonWithoutNumbersIsReportedWithItsReason() {
        SampleStats one = SampleStats.of(1, 1, 1);
        AnalysisResult r = Analyzer.analyze(request(Method.FIXED, ArmInput.of("A", A), ArmInput.of("tiny", one),
                ArmInput.of("B", B)).relative(false).build());
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isEqualTo("arm 'tiny': " + Status.TOO_FEW_UNITS.reason());
        AnalysisResult.Comparison failed = r.comparisons().get(0);
        assertThat(failed.status()).isEqualTo(Status.TOO_FEW_UNITS);
        assertThat(failed.pValue()).isNaN();
        assertThat(failed.pValueAdjusted()).isNaN();
        assertThat(failed.significant()).isFalse();
        // The failed comparison counts as p = 1 in Holm's m: B's p is doubled.
        AnalysisResult.Comparison b = r.comparisons().get(1);
        assertThat(b.pValueAdjusted()).isCloseTo(2 * b.pValue(), within(1e-15));
        assertThat(b.significant()).isTrue(); // 2 · 0.02016 ≤ 0.05
        // Two failures: the first one names the error.
        AnalysisResult two = Analyzer.analyze(request(Method.FIXED, ArmInput.of("A", A), ArmInput.of("x", one),
                ArmInput.of("y", SampleStats.of(0, 0, 0))).build());
        assertThat(two.error()).isEqualTo("arm 'x': " + Status.TOO_FEW_UNITS.reason());
        assertThat(two.comparisons()).extracting(AnalysisResult.Comparison::pValueAdjusted).allMatch(v -> Double.isNaN(v));
    }

    @Test
    void overflowingStatisticsAreAStatusNeverNaN() {
        AnalysisResult r = Analyzer.analyze(request(Method.FIXED, ArmInput.of("A", SampleStats.of(10, 1e300, 1e308)),
                ArmInput.of("B", SampleStats.of(10, 2e300, 1e308))).relative(false).build());
        AnalysisResult.Comparison c = r.comparisons().get(0);
        assertThat(c.status().ok()).isFalse();
        assertThat(c.significant()).isFalse();
        assertThat(r.error()).startsWith("arm 'B': ");
    }
}
