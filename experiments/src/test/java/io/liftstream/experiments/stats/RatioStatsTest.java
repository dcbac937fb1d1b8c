package io.liftstream.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Ratio metrics (delta method): gbstats' golden numbers, an independent identity (the
 * linearisation), merging, edge cases, and A/A false positives by simulation.
 */
class RatioStatsTest {
    // gbstats tests/test_gbstats.py RATIO_STATISTICS_DF ("count" numerator and denominator).
    static final RatioStats GB_CONTROL = RatioStats.of(100, 270, 848.79, 510, 810, -900);
    static final RatioStats GB_TREATMENT = RatioStats.of(120, 300, 869, 500, 800, -905);

    private static double round9(double x) {
        return Math.round(x * 1e9) / 1e9;
    }

    private static AnalysisRequest.Builder gbRequest(Method method) {
        return AnalysisRequest.builder().metric(MetricType.MEAN).method(method)
                .arms(List.of(ArmInput.ratio("zero", GB_CONTROL), ArmInput.ratio("one", GB_TREATMENT)));
    }

    @Test
    void frequentistRatioMatchesGbstats() {
        // test_get_metric_dfs_frequentist_ratio: cr 0.529411765 and 0.6, expected 0.133333333,
        // pValue 0.610663339 (to 9 decimals). The fixture's denominators have Σd² < (Σd)²/n, a
        // negative sample variance no real data can have; gbstats does not clamp it, neither do we.
        AnalysisResult r = Analyzer.analyze(gbRequest(Method.FIXED).build());
        assertThat(r.ok()).isTrue();
        assertThat(round9(r.arms().get(0).mean())).isEqualTo(0.529411765);
        assertThat(round9(r.arms().get(1).mean())).isEqualTo(0.6);
        AnalysisResult.Comparison c = r.comparisons().get(0);
        assertThat(round9(c.expected())).isEqualTo(0.133333333);
        assertThat(round9(c.pValue())).isEqualTo(0.610663339);
        // Per-unit delta-method variances, computed by hand from the formula.
        assertThat(GB_CONTROL.variance()).isCloseTo(0.7878692336373639, within(1e-12));
        assertThat(GB_TREATMENT.variance()).isCloseTo(1.0856873949579828, within(1e-12));
    }

    @Test
    void bayesianRatioMatchesGbstats() {
        // test_get_metric_dfs_bayesian_ratio: chanceToWin 0.694926359, risk[1] 0.050934045, expected 0.133333333.
        AnalysisResult.Comparison c = Analyzer.analyze(gbRequest(Method.BAYESIAN).build()).comparisons().get(0);
        assertThat(round9(c.expected())).isEqualTo(0.133333333);
        assertThat(c.chanceToWin()).isCloseTo(0.694926359, within(5e-7));
        assertThat(c.riskTreatment()).isCloseTo(0.050934045, within(5e-7));
    }

    @Test
    void absoluteLiftUsesThePerArmDeltaVariances() {
        Effect e = EffectEstimator.estimate(GB_CONTROL.moments(), GB_TREATMENT.moments(), false);
        assertThat(e.estimate()).isCloseTo(0.6 - 270.0 / 510, within(1e-15));
        assertThat(e.variance()).isCloseTo(1.0856873949579828 / 120 + 0.7878692336373639 / 100, within(1e-15));
    }

    @Test
    void varianceEqualsTheLinearisedResidualVariance() {
        // Deng et al. 2018: the delta method for Σm/Σd is the mean of e = (m − R·d)/μ_d, so the
        // per-unit variance is the sample variance of e, computed here from the raw values.
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 500;
        double[] m = new double[n];
        double[] d = new double[n];
        RatioStats s = RatioStats.EMPTY;
        for (int i = 0; i < n; i++) {
            d[i] = 1 + rnd.nextInt(5);
            m[i] = d[i] * (20 + 10 * rnd.nextDouble()) + 5 * rnd.nextDouble();
            s = s.add(m[i], d[i]);
        }
        double sumM = 0;
        double sumD = 0;
        for (int i = 0; i < n; i++) {
            sumM += m[i];
            sumD += d[i];
        }
        double ratio = sumM / sumD;
        double muD = sumD / n;
        SampleStats e = SampleStats.EMPTY;
        for (int i = 0; i < n; i++) {
            e = e.add((m[i] - ratio * d[i]) / muD);
        }
        assertThat(s.ratio()).isCloseTo(ratio, within(1e-12));
        assertThat(s.variance()).isCloseTo(e.variance(MetricType.MEAN), within(1e-9 * e.variance(MetricType.MEAN)));
    }

    @Test
    void mergesByAddition() {
        RatioStats a = RatioStats.EMPTY.add(3, 1).add(10, 2);
        RatioStats b = RatioStats.EMPTY.add(0, 1).add(7, 3);
        RatioStats all = RatioStats.EMPTY.add(3, 1).add(10, 2).add(0, 1).add(7, 3);
        assertThat(a.merge(b)).isEqualTo(all);
        assertThat(all).isEqualTo(RatioStats.of(4, 20, 9 + 100 + 49, 7, 1 + 4 + 1 + 9, 3 + 20 + 21));
        assertThat(all.ratio()).isEqualTo(20.0 / 7);
    }

    @Test
    void zeroDenominatorIsAStatusNotANumber() {
        // gbstats test_get_metric_dfs_ratio_zero_denom gives cr 0 and no effect; we say why.
        RatioStats empty = RatioStats.of(100, 270, 848.79, 0, 0, 0);
        assertThat(empty.zeroDenominator()).isTrue();
        assertThat(empty.ratio()).isEqualTo(0.0);
        assertThat(empty.variance()).isEqualTo(0.0);
        AnalysisResult r = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN).method(Method.FIXED)
                .arms(List.of(ArmInput.ratio("zero", empty), ArmInput.ratio("one", GB_TREATMENT))).build());
        assertThat(r.ok()).isFalse();
        assertThat(r.comparisons().get(0).status()).isEqualTo(Status.ZERO_DENOMINATOR);
        assertThat(r.error()).isEqualTo("arm 'one': " + Status.ZERO_DENOMINATOR.reason());
        assertThat(r.arms().get(1).mean()).isEqualTo(0.6);
    }

    @Test
    void fewerThanTwoUnitsHasNoVariance() {
        RatioStats one = RatioStats.EMPTY.add(5, 2);
        assertThat(one.variance()).isEqualTo(0.0);
        assertThat(one.covariance()).isEqualTo(0.0);
        AnalysisResult r = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN).method(Method.FIXED)
                .arms(List.of(ArmInput.ratio("a", GB_CONTROL), ArmInput.ratio("b", one))).build());
        assertThat(r.comparisons().get(0).status()).isEqualTo(Status.TOO_FEW_UNITS);
    }

    @Test
    void requestsRefuseMixedOrUnsupportedRatioArms() {
        assertThatThrownBy(() -> AnalysisRequest.builder().metric(MetricType.MEAN).method(Method.FIXED)
                .arms(List.of(ArmInput.ratio("a", GB_CONTROL), ArmInput.of("b", SampleStats.of(10, 5, 5)))).build())
                .hasMessage("a ratio metric needs a denominator on every arm or on none");
        assertThatThrownBy(() -> AnalysisRequest.builder().metric(MetricType.PROPORTION).method(Method.FIXED)
                .arms(List.of(ArmInput.ratio("a", GB_CONTROL), ArmInput.ratio("b", GB_TREATMENT))).build())
                .hasMessage("a ratio metric's numerator and denominator are means");
        assertThatThrownBy(() -> new ArmInput("a", SampleStats.of(1, 1, 1), null, GB_CONTROL))
                .hasMessageContaining("ratio numerator statistics must equal the arm statistics");
    }

    @Test
    void aaFalsePositiveRateIsNominalWithCorrelatedNumeratorAndDenominator() {
        // Revenue per order: orders per user 0..4 (many zero), revenue per order lognormal; the
        // naive per-order t-test would be anti-conservative here (users' orders are correlated).
        SplittableRandom rnd = new SplittableRandom(2018);
        int experiments = 2000;
        int users = 400;
        int rejections = 0;
        for (int x = 0; x < experiments; x++) {
            RatioStats[] arms = {RatioStats.EMPTY, RatioStats.EMPTY};
            for (int arm = 0; arm < 2; arm++) {
                for (int u = 0; u < users; u++) {
                    double spend = Math.exp(0.8 * gauss(rnd)); // the user's taste: correlates their orders
                    int orders = rnd.nextDouble() < 0.4 ? 0 : 1 + rnd.nextInt(4);
                    double revenue = 0;
                    for (int o = 0; o < orders; o++) {
                        revenue += 30 * spend * Math.exp(0.5 * gauss(rnd));
                    }
                    arms[arm] = arms[arm].add(revenue, orders);
                }
            }
            AnalysisResult r = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN).method(Method.FIXED)
                    .arms(List.of(ArmInput.ratio("a", arms[0]), ArmInput.ratio("b", arms[1]))).build());
            if (r.comparisons().get(0).significant()) {
                rejections++;
            }
        }
        double rate = rejections / (double) experiments;
        // Monte-Carlo sd at α = 0.05 and 2,000 runs: 0.0049; allow 3 sd.
        assertThat(rate).isBetween(0.035, 0.065);
    }

    private static double gauss(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
