package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.RatioStats;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.Status;
import io.liftstream.experiments.stats.multiple.PValueAdjustment;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * The holdout comparison (its method, its memory, its SRM at the holdout's edges, ratio metrics)
 * and the group sequential pairs (a pair without users, a look taken once per size, Holm-adjusted
 * display p-values), through {@link ResultsCalculator}.
 */
class ResultsHoldoutAndGstPairsTest {
    private static final RewardSpec REWARD = new RewardSpec("Order Completed", "conversion", Duration.ofDays(1));
    private static final String HOLDOUT_KEY = ResultsMemory.key(ResultsTotals.HOLDOUT, MetricSpec.REWARD_NAME);

    private static ExperimentDefinition withHoldout(Method method, double pct) {
        return ExperimentDefinition.builder("e").arms(List.of(new Arm("a", 0.5), new Arm("b", 0.5))).reward(REWARD)
                .holdoutPct(pct)
                .analysis(new AnalysisSpec(method, 0.05, true, Sides.TWO, 5000, null, method == Method.GST ? 20_000 : 0,
                        null, null, List.of()))
                .build();
    }

    private static void add(ResultsTotals t, String group, long users, long converted) {
        t.addUsers(group, users);
        t.addMetric(group, MetricSpec.REWARD_NAME, converted, converted);
    }

    private static ResultsTotals totals(long heldConversions) {
        ResultsTotals t = new ResultsTotals();
        add(t, ResultsTotals.arm("a"), 9000, 900);
        add(t, ResultsTotals.arm("b"), 9000, 1080);
        add(t, ResultsTotals.HOLDOUT, 2000, heldConversions);
        return t;
    }

    private static AnalysisResult analyze(Method method, ResultsTotals t, double previousP) {
        SampleStats treated = t.stats(ResultsTotals.arm("a"), "reward").merge(t.stats(ResultsTotals.arm("b"), "reward"));
        return Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION).method(method)
                .arms(List.of(ArmInput.of("holdout", t.stats(ResultsTotals.HOLDOUT, "reward")), ArmInput.of("treated", treated)))
                .previousPValue(previousP).build());
    }

    /**
     * GST is planned for the arms; the holdout is compared with the always-valid sequential test
     * instead, its p-value remembered (running minimum) and its interval intersected over looks.
     */
    @Test
    void theHoldoutOfAGstExperimentIsSequentialAndRemembered() {
        ExperimentDefinition d = withHoldout(Method.GST, 10);
        ResultsMemory m = new ResultsMemory();
        ResultsTotals strong = totals(100);
        AnalysisResult.Comparison first = ResultsCalculator.compute(d, strong, m).holdout().comparisons().get(0);
        AnalysisResult.Comparison expected = analyze(Method.SEQUENTIAL, strong, 1.0).comparisons().get(0);
        assertThat(first.pValue()).isEqualTo(expected.pValue()).isLessThan(0.05);
        assertThat(first.ciLower()).isEqualTo(expected.ciLower()).isPositive();
        assertThat(m.previousP).containsEntry(HOLDOUT_KEY, first.pValue());
        // A weaker look keeps the earlier p-value and the tighter lower end.
        ResultsTotals weaker = totals(130);
        AnalysisResult.Comparison second = ResultsCalculator.compute(d, weaker, m).holdout().comparisons().get(0);
        AnalysisResult.Comparison fresh = analyze(Method.SEQUENTIAL, weaker, 1.0).comparisons().get(0);
        assertThat(fresh.pValue()).isGreaterThan(first.pValue());
        assertThat(fresh.ciLower()).isLessThan(first.ciLower());
        assertThat(second.pValue()).isEqualTo(first.pValue());
        assertThat(second.ciLower()).isEqualTo(first.ciLower());
        assertThat(second.significant()).isTrue();
        assertThat(m.intervals).containsKey(HOLDOUT_KEY);
    }

    /** A fixed-horizon holdout comparison is the plain analysis and leaves no memory. */
    @Test
    void aFixedHoldoutComparisonLeavesNoMemory() {
        ResultsMemory m = new ResultsMemory();
        ResultsTotals t = totals(100);
        AnalysisResult holdout = ResultsCalculator.compute(withHoldout(Method.FIXED, 10), t, m).holdout();
        assertThat(holdout.comparisons()).isEqualTo(analyze(Method.FIXED, t, 1.0).comparisons());
        assertThat(m.previousP).doesNotContainKey(HOLDOUT_KEY);
        assertThat(m.intervals).doesNotContainKey(HOLDOUT_KEY);
        // The remembered p of a sequential holdout feeds its next look (the request's previous p-value).
        ResultsMemory seq = new ResultsMemory();
        seq.previousP.put(HOLDOUT_KEY, 1e-9);
        assertThat(ResultsCalculator.compute(withHoldout(Method.SEQUENTIAL, 10), totals(200), seq).holdout()
                .comparisons().get(0).pValue()).isEqualTo(1e-9);
    }

    /**
     * The holdout SRM is reported once it was ever checkable (an epoch at 0 &lt; pct &lt; 100);
     * after the holdout went to 0 % the comparison of the users held out earlier still works.
     */
    @Test
    void holdoutAtZeroPercentStillComparesEarlierUsers() {
        ResultsTotals t = totals(100);
        ResultsMemory never = new ResultsMemory();
        AnalysisResult noSrm = ResultsCalculator.compute(withHoldout(Method.SEQUENTIAL, 0), t, never).holdout();
        assertThat(noSrm.ok()).isTrue();
        assertThat(noSrm.srmPValue()).isNaN();
        assertThat(noSrm.sequentialSrmPValue()).isNaN();
        ResultsMemory earlier = new ResultsMemory();
        SrmEpochs.addHoldoutUsers(earlier, 10, true, 200);
        SrmEpochs.addHoldoutUsers(earlier, 10, false, 1800);
        SrmEpochs.addHoldoutUsers(earlier, 0, false, 0);
        AnalysisResult after = ResultsCalculator.compute(withHoldout(Method.SEQUENTIAL, 0), t, earlier).holdout();
        assertThat(after.ok()).isTrue();
        assertThat(after.srmPValue()).isNaN(); // the current epoch (0 %) has nothing to check
        assertThat(after.sequentialSrmPValue()).isEqualTo(1.0);
        ResultsMemory all = new ResultsMemory();
        SrmEpochs.addHoldoutUsers(all, 100, true, 10);
        AnalysisResult full = ResultsCalculator.compute(withHoldout(Method.SEQUENTIAL, 100), t, all).holdout();
        assertThat(full.ok()).isTrue();
        assertThat(full.srmPValue()).isNaN();
        // Without a holdout and without holdout users there is no holdout comparison.
        ResultsTotals armsOnly = new ResultsTotals();
        add(armsOnly, ResultsTotals.arm("a"), 900, 90);
        add(armsOnly, ResultsTotals.arm("b"), 900, 108);
        assertThat(ResultsCalculator.compute(withHoldout(Method.SEQUENTIAL, 0), armsOnly, new ResultsMemory()).holdout())
                .isNull();
    }

    /** A ratio primary metric: the holdout's ratio against every treated user's, within one phase only. */
    @Test
    void aRatioHoldoutWithinOnePhaseAndRefusedOverSeveral() {
        MetricSpec perOrder = new MetricSpec("rpo", "Order Completed", "revenue", Duration.ofDays(1), null, null, null,
                new MetricSpec.Denominator("Order Completed", "items"));
        ExperimentDefinition d = ExperimentDefinition.builder("e").arms("a", "b").reward(REWARD).holdoutPct(10)
                .analysis(new AnalysisSpec(Method.SEQUENTIAL, 0.05, true, Sides.TWO, 5000, null, 0, null, perOrder,
                        List.of()))
                .build();
        ResultsTotals t = new ResultsTotals();
        // Per group: users, Σm, Σm², Σd, Σd², Σm·d.
        ratioGroup(t, ResultsTotals.arm("a"), 0, 500, 5000, 90000, 1000, 3000, 15000);
        ratioGroup(t, ResultsTotals.arm("b"), 0, 500, 6000, 110000, 1000, 3000, 17000);
        ratioGroup(t, ResultsTotals.HOLDOUT, 0, 100, 800, 12000, 200, 600, 2400);
        AnalysisResult holdout = ResultsCalculator.compute(d, t, new ResultsMemory()).holdout();
        RatioStats held = new RatioStats(SampleStats.of(100, 800, 12000), SampleStats.of(100, 200, 600), 2400);
        RatioStats treated = new RatioStats(SampleStats.of(1000, 11000, 200000), SampleStats.of(1000, 2000, 6000), 32000);
        AnalysisResult expected = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN)
                .method(Method.SEQUENTIAL).arms(List.of(ArmInput.ratio("holdout", held), ArmInput.ratio("treated", treated)))
                .build());
        assertThat(holdout.error()).isNull();
        assertThat(holdout.comparisons().get(0).expected()).isEqualTo(expected.comparisons().get(0).expected());
        assertThat(holdout.comparisons().get(0).pValue()).isEqualTo(expected.comparisons().get(0).pValue());
        ratioGroup(t, ResultsTotals.arm("a"), 7_000, 10, 100, 1000, 20, 60, 300);
        ratioGroup(t, ResultsTotals.arm("b"), 7_000, 10, 100, 1000, 20, 60, 300);
        ratioGroup(t, ResultsTotals.HOLDOUT, 7_000, 10, 100, 1000, 20, 60, 300);
        AnalysisResult several = ResultsCalculator.compute(d, t, new ResultsMemory()).holdout();
        assertThat(several.error()).isEqualTo("ratio metric 'rpo': the results job analyses a ratio metric within one "
                + "phase only, and this experiment has 2 phases");
        assertThat(several.comparisons()).isEmpty();
    }

    private static void ratioGroup(ResultsTotals t, String group, long phase, long users, double sum, double sumSq,
            double dSum, double dSumSq, double product) {
        String g = phase == 0 ? group : ResultsTotals.phased(group, phase);
        t.addUsers(g, users);
        t.addMetric(g, "rpo", sum, sumSq);
        t.addCovariate(g, "rpo", dSum, dSumSq, product);
    }

    private static ExperimentDefinition gst(String... arms) {
        return ExperimentDefinition.builder("e").arms(arms).reward(REWARD)
                .analysis(new AnalysisSpec(Method.GST, 0.05, true, Sides.TWO, 5000, null, 20_000, null, null, List.of()))
                .build();
    }

    /**
     * A pair without users has no comparison (and the result says which); a look is taken once per
     * pair size; the display p-values are Holm-adjusted over the pairs.
     */
    @Test
    void gstPairsLooksAndHolmAdjustedDisplay() {
        ExperimentDefinition d = gst("control", "b", "c");
        ResultsTotals t = new ResultsTotals();
        add(t, ResultsTotals.arm("b"), 0, 0);
        ResultsMemory m = new ResultsMemory();
        ExperimentResult empty = ResultsCalculator.compute(d, t, m);
        assertThat(empty.primary().comparisons()).extracting(AnalysisResult.Comparison::status)
                .containsExactly(Status.TOO_FEW_UNITS, Status.TOO_FEW_UNITS);
        assertThat(empty.primary().error()).isEqualTo("arm 'b': " + Status.TOO_FEW_UNITS.reason());
        assertThat(m.gstLooks).isEmpty();

        add(t, ResultsTotals.arm("control"), 2000, 200);
        add(t, ResultsTotals.arm("b"), 2000, 260);
        add(t, ResultsTotals.arm("c"), 2000, 215);
        ExperimentResult r = ResultsCalculator.compute(d, t, m);
        assertThat(r.primary().error()).isNull();
        List<AnalysisResult.Comparison> cs = r.primary().comparisons();
        double[] holm = PValueAdjustment.holm(new double[] {cs.get(0).pValue(), cs.get(1).pValue()});
        assertThat(cs.get(0).pValue()).isLessThan(cs.get(1).pValue());
        assertThat(cs.get(0).pValueAdjusted()).isEqualTo(holm[0]).isEqualTo(Math.min(1, 2 * cs.get(0).pValue()));
        assertThat(cs.get(1).pValueAdjusted()).isEqualTo(holm[1]);
        assertThat(r.primary().arms()).extracting(AnalysisResult.ArmSummary::name).containsExactly("control", "b", "c");
        assertThat(m.gstLooks.get(ResultsMemory.key("reward", "b"))).containsExactly(4000);
        // The same sizes again: no new look.
        ResultsCalculator.compute(d, t, m);
        assertThat(m.gstLooks.get(ResultsMemory.key("reward", "b"))).containsExactly(4000);
        assertThat(m.gstLooks.get(ResultsMemory.key("reward", "c"))).containsExactly(4000);
        add(t, ResultsTotals.arm("c"), 10, 1);
        ResultsCalculator.compute(d, t, m);
        assertThat(m.gstLooks.get(ResultsMemory.key("reward", "b"))).containsExactly(4000);
        assertThat(m.gstLooks.get(ResultsMemory.key("reward", "c"))).containsExactly(4000, 4010);
    }

    /** A named control that is not the first arm: each pair is that control and its treatment. */
    @Test
    void gstPairsUseTheNamedControl() {
        ExperimentDefinition d = ExperimentDefinition.builder("e").arms("a", "b", "ctl").reward(REWARD)
                .analysis(new AnalysisSpec(Method.GST, 0.05, true, Sides.TWO, 5000, null, 20_000, "ctl", null, List.of()))
                .build();
        ResultsTotals t = new ResultsTotals();
        add(t, ResultsTotals.arm("a"), 1000, 100);
        add(t, ResultsTotals.arm("b"), 1200, 120);
        add(t, ResultsTotals.arm("ctl"), 3000, 300);
        ResultsMemory m = new ResultsMemory();
        ExperimentResult r = ResultsCalculator.compute(d, t, m);
        assertThat(r.primary().comparisons()).extracting(AnalysisResult.Comparison::arm).containsExactly("a", "b");
        assertThat(m.gstLooks.get(ResultsMemory.key("reward", "a"))).containsExactly(4000);
        assertThat(m.gstLooks.get(ResultsMemory.key("reward", "b"))).containsExactly(4200);
        assertThat(r.primary().comparisons().get(0).expected()).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-12));
    }

    /** uniform is checked against an equal split, fixed against its weights, adaptive policies not at all. */
    @Test
    void expectedWeightsFollowThePolicy() {
        ExperimentDefinition uniform = ExperimentDefinition.builder("e")
                .arms(List.of(new Arm("a", 0.7), new Arm("b", 0.2), new Arm("c", 0.1))).policy(PolicyType.UNIFORM)
                .reward(REWARD).build();
        assertThat(ResultsCalculator.expectedWeights(uniform)).containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3);
        ExperimentDefinition fixed = ExperimentDefinition.builder("e")
                .arms(List.of(new Arm("a", 0.7), new Arm("b", 0.2), new Arm("c", 0.1))).reward(REWARD).build();
        assertThat(ResultsCalculator.expectedWeights(fixed)).containsExactly(0.7, 0.2, 0.1);
        assertThat(ResultsCalculator.srmApplies(PolicyType.UNIFORM)).isTrue();
        assertThat(ResultsCalculator.srmApplies(PolicyType.THOMPSON)).isFalse();
        // Through a result: a 70/20/10 split is no mismatch for fixed weights, a gross one for uniform.
        ResultsTotals t = new ResultsTotals();
        ResultsMemory mu = new ResultsMemory();
        ResultsMemory mf = new ResultsMemory();
        String[] names = {"a", "b", "c"};
        long[] users = {7000, 2000, 1000};
        for (int i = 0; i < 3; i++) {
            add(t, ResultsTotals.arm(names[i]), users[i], users[i] / 10);
            SrmEpochs.addUsers(mu, names, ResultsCalculator.expectedWeights(uniform), names[i], users[i]);
            SrmEpochs.addUsers(mf, names, ResultsCalculator.expectedWeights(fixed), names[i], users[i]);
        }
        assertThat(ResultsCalculator.compute(fixed, t, mf).primary().srmPValue()).isGreaterThan(0.5);
        ExperimentResult u = ResultsCalculator.compute(uniform, t, mu);
        assertThat(u.primary().srmPValue()).isLessThan(1e-100);
        assertThat(u.recommendation().action()).isEqualTo(Recommendation.INVESTIGATE_SRM);
    }
}
