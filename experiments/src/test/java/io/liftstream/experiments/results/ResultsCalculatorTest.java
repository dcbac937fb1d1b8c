package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.Sides;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

class ResultsCalculatorTest {
    private static final RewardSpec REWARD = new RewardSpec("Order Completed", "conversion", Duration.ofDays(1));
    private static final MetricSpec REFUNDS = new MetricSpec("refunds", "Order Refunded", "conversion",
            Duration.ofDays(7), MetricSpec.Desired.DECREASE);

    static ExperimentDefinition definition(Method method, long gstMaxN, List<MetricSpec> guardrails) {
        return ExperimentDefinition.builder("e").arms("control", "treatment").reward(REWARD)
                .analysis(new AnalysisSpec(method, 0.05, true, Sides.TWO, 5000, null, gstMaxN, null, null, guardrails))
                .build();
    }

    /** Adds users to an arm with the given conversions. */
    static void add(ResultsTotals t, String arm, long users, long converted) {
        t.addUsers(ResultsTotals.arm(arm), users);
        t.addMetric(ResultsTotals.arm(arm), MetricSpec.REWARD_NAME, converted, converted);
    }

    @Test
    void firstLookEqualsAnalyze() {
        ResultsTotals t = new ResultsTotals();
        add(t, "control", 1000, 100);
        add(t, "treatment", 1000, 130);
        ExperimentResult r = ResultsCalculator.compute(definition(Method.SEQUENTIAL, 0, List.of()), t, new ResultsMemory());
        AnalysisResult expected = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.SEQUENTIAL).arms(List.of(ArmInput.of("control", t.stats(ResultsTotals.arm("control"), "reward")),
                        ArmInput.of("treatment", t.stats(ResultsTotals.arm("treatment"), "reward")))).build());
        assertThat(r.primary().comparisons()).isEqualTo(expected.comparisons());
        assertThat(r.primary().arms()).isEqualTo(expected.arms());
        assertThat(r.primary().srmPValue()).isEqualTo(expected.srmPValue());
        assertThat(r.primary().sequentialSrmPValue()).isEqualTo(expected.sequentialSrmPValue());
        assertThat(r.holdout()).isNull();
    }

    /**
     * A first look where the treatment has no conversion yet is no evidence (zero variance), so it
     * leaves nothing in the memory; the next look with equal rates is not significant. (On the
     * Taobao replay the first look used to say p = 0, and the always-valid p-value kept it.)
     */
    @Test
    void aFirstLookWithoutConversionsInAnArmIsNoEvidence() {
        ExperimentDefinition d = definition(Method.SEQUENTIAL, 0, List.of());
        ResultsTotals t = new ResultsTotals();
        ResultsMemory memory = new ResultsMemory();
        add(t, "control", 327, 1);
        add(t, "treatment", 339, 0);
        AnalysisResult.Comparison first = ResultsCalculator.compute(d, t, memory).primary().comparisons().get(0);
        assertThat(first.status().ok()).isFalse();
        assertThat(memory.previousP).isEmpty();
        add(t, "control", 1587, 3);
        add(t, "treatment", 1268, 3);
        ExperimentResult next = ResultsCalculator.compute(d, t, memory);
        assertThat(next.primary().comparisons().get(0).pValue()).isGreaterThan(0.5);
        assertThat(next.recommendation().action()).isEqualTo(Recommendation.CONTINUE);
    }

    /** An A/A stream looked at 200 times: the always-valid p-values never go up, the SRM's neither. */
    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"SEQUENTIAL", "MSPRT"})
    void alwaysValidPValuesNeverIncrease(Method method) {
        ExperimentDefinition d = definition(method, 0, List.of(REFUNDS));
        ResultsTotals t = new ResultsTotals();
        ResultsMemory memory = new ResultsMemory();
        SplittableRandom random = new SplittableRandom(7);
        double previous = 1;
        double previousGuardrail = 1;
        double previousSrm = 1;
        int increasesWithoutMemory = 0;
        double previousFresh = 1;
        for (int look = 0; look < 200; look++) {
            for (String arm : List.of("control", "treatment")) {
                int users = 20 + random.nextInt(30);
                long converted = 0;
                long refunded = 0;
                for (int i = 0; i < users; i++) {
                    converted += random.nextDouble() < 0.1 ? 1 : 0;
                    refunded += random.nextDouble() < 0.02 ? 1 : 0;
                }
                add(t, arm, users, converted);
                t.addMetric(ResultsTotals.arm(arm), "refunds", refunded, refunded);
                SrmEpochs.addUsers(memory, new String[] {"control", "treatment"}, new double[] {0.5, 0.5}, arm, users);
            }
            ExperimentResult r = ResultsCalculator.compute(d, t, memory);
            AnalysisResult.Comparison c = r.primary().comparisons().get(0);
            if (!c.status().ok()) {
                continue;
            }
            assertThat(c.pValue()).isLessThanOrEqualTo(previous);
            previous = c.pValue();
            double g = r.guardrails().get(0).result().comparisons().get(0).pValue();
            if (Double.isFinite(g)) {
                assertThat(g).isLessThanOrEqualTo(previousGuardrail);
                previousGuardrail = g;
            }
            assertThat(r.primary().sequentialSrmPValue()).isLessThanOrEqualTo(previousSrm);
            previousSrm = r.primary().sequentialSrmPValue();
            double fresh = ResultsCalculator.compute(d, t, new ResultsMemory()).primary().comparisons().get(0).pValue();
            increasesWithoutMemory += fresh > previousFresh ? 1 : 0;
            previousFresh = fresh;
        }
        // Without the memory the same looks' p-values do go up and down: the test can fail.
        assertThat(increasesWithoutMemory).isGreaterThan(10);
    }

    @Test
    void srmFollowsTheWeightsInForceWhenEachUserCame() {
        String[] arms = {"control", "treatment"};
        ResultsMemory ramped = new ResultsMemory();
        // 1,000 users at 50/50, then a ramp to 90/10 with 9,000 more in that ratio: no mismatch.
        SrmEpochs.addUsers(ramped, arms, new double[] {0.5, 0.5}, "control", 500);
        SrmEpochs.addUsers(ramped, arms, new double[] {0.5, 0.5}, "treatment", 500);
        SrmEpochs.addUsers(ramped, arms, new double[] {0.9, 0.1}, "control", 8100);
        SrmEpochs.addUsers(ramped, arms, new double[] {0.9, 0.1}, "treatment", 900);
        assertThat(SrmEpochs.sequentialPValue(ramped)).isEqualTo(1.0);
        assertThat(SrmEpochs.chiSquarePValue(ramped)).isCloseTo(1.0, within(1e-9));
        // The same totals judged against the current weights only would be a glaring mismatch.
        ResultsMemory naive = new ResultsMemory();
        SrmEpochs.addUsers(naive, arms, new double[] {0.9, 0.1}, "control", 8600);
        SrmEpochs.addUsers(naive, arms, new double[] {0.9, 0.1}, "treatment", 1400);
        assertThat(SrmEpochs.sequentialPValue(naive)).isLessThan(1e-6);
    }

    @Test
    void sampleRatioMismatchComesFirst() {
        ResultsTotals t = new ResultsTotals();
        add(t, "control", 6000, 600);
        add(t, "treatment", 4000, 800);
        ResultsMemory m = new ResultsMemory();
        SrmEpochs.addUsers(m, new String[] {"control", "treatment"}, new double[] {0.5, 0.5}, "control", 6000);
        SrmEpochs.addUsers(m, new String[] {"control", "treatment"}, new double[] {0.5, 0.5}, "treatment", 4000);
        ExperimentResult r = ResultsCalculator.compute(definition(Method.SEQUENTIAL, 0, List.of()), t, m);
        assertThat(r.recommendation().action()).isEqualTo("investigate_srm");
        assertThat(r.recommendation().reason()).contains("sample ratio mismatch").contains("control 6000");
        // A bandit allocates by the data: no SRM check, so the clear win is shipped.
        ExperimentDefinition bandit = ExperimentDefinition.builder("e").arms("control", "treatment").reward(REWARD)
                .policy(io.liftstream.experiments.bandit.PolicyType.THOMPSON).build();
        ExperimentResult b = ResultsCalculator.compute(bandit, t, m);
        assertThat(b.primary().sequentialSrmPValue()).isNaN();
        assertThat(b.recommendation().action()).isEqualTo("ship treatment");
    }

    @Test
    void shipsAClearWinnerAndStopsOnGuardrailHarm() {
        ResultsTotals t = balanced(1000, 200);
        ExperimentResult win = ResultsCalculator.compute(definition(Method.SEQUENTIAL, 0, List.of(REFUNDS)), t, memory(t));
        assertThat(win.recommendation().action()).isEqualTo("ship treatment");
        assertThat(win.recommendation().reason()).contains("significantly better").contains("lift +100.00%");
        // The treatment also doubles refunds (desired: decrease): stop.
        t.addMetric(ResultsTotals.arm("control"), "refunds", 50, 50);
        t.addMetric(ResultsTotals.arm("treatment"), "refunds", 150, 150);
        ExperimentResult harm = ResultsCalculator.compute(definition(Method.SEQUENTIAL, 0, List.of(REFUNDS)), t, memory(t));
        assertThat(harm.recommendation().action()).isEqualTo("stop");
        assertThat(harm.recommendation().reason()).contains("guardrail 'refunds' is significantly worse in arm 'treatment'");
    }

    @Test
    void fixedHorizonIsReadOnlyOnceStopped() {
        ResultsTotals t = balanced(1000, 200);
        ExperimentDefinition running = definition(Method.FIXED, 0, List.of());
        assertThat(ResultsCalculator.compute(running, t, memory(t)).recommendation().action()).isEqualTo("continue");
        ExperimentDefinition stopped = ExperimentDefinition.builder("e").arms("control", "treatment").reward(REWARD)
                .status(ExperimentStatus.STOPPED).analysis(running.analysis()).build();
        assertThat(ResultsCalculator.compute(stopped, t, memory(t)).recommendation().action()).isEqualTo("ship treatment");
    }

    @Test
    void gstStopsAtItsMaximumWithoutEffectAndKeepsItsLooks() {
        ExperimentDefinition d = definition(Method.GST, 4000, List.of());
        ResultsMemory m = new ResultsMemory();
        ResultsTotals t = new ResultsTotals();
        for (int look = 1; look <= 4; look++) {
            add(t, "control", 500, 50);
            add(t, "treatment", 500, 51);
            SrmEpochs.addUsers(m, new String[] {"control", "treatment"}, new double[] {0.5, 0.5}, "control", 500);
            SrmEpochs.addUsers(m, new String[] {"control", "treatment"}, new double[] {0.5, 0.5}, "treatment", 500);
            ExperimentResult r = ResultsCalculator.compute(d, t, m);
            assertThat(r.recommendation().action()).isEqualTo(look < 4 ? "continue" : "stop");
        }
        assertThat(m.gstLooks.get(ResultsMemory.key("reward", "treatment"))).containsExactly(1000, 2000, 3000, 4000);
    }

    @Test
    void holdoutIsComparedWithEveryTreatedUserPooled() {
        ExperimentDefinition d = ExperimentDefinition.builder("e").arms(List.of(new Arm("a", 0.5), new Arm("b", 0.5)))
                .reward(REWARD).holdoutPct(10).build();
        ResultsTotals t = new ResultsTotals();
        add(t, "a", 450, 45);
        add(t, "b", 450, 90);
        t.addUsers(ResultsTotals.HOLDOUT, 100);
        t.addMetric(ResultsTotals.HOLDOUT, "reward", 5, 5);
        ExperimentResult r = ResultsCalculator.compute(d, t, memory(t));
        assertThat(r.holdout().arms()).extracting(AnalysisResult.ArmSummary::name).containsExactly("holdout", "treated");
        assertThat(r.holdout().arms().get(1).n()).isEqualTo(900);
        assertThat(r.holdout().arms().get(1).mean()).isCloseTo(135.0 / 900, within(1e-15));
        assertThat(r.holdout().srmPValue()).isCloseTo(1.0, within(1e-9)); // 100 of 1,000 = holdout_pct
    }

    private static ResultsTotals balanced(long users, long treatmentConversions) {
        ResultsTotals t = new ResultsTotals();
        add(t, "control", users, treatmentConversions / 2);
        add(t, "treatment", users, treatmentConversions);
        return t;
    }

    private static ResultsMemory memory(ResultsTotals t) {
        ResultsMemory m = new ResultsMemory();
        for (String arm : List.of("control", "treatment")) {
            SrmEpochs.addUsers(m, new String[] {"control", "treatment"}, new double[] {0.5, 0.5}, arm,
                    t.users(ResultsTotals.arm(arm)));
        }
        return m;
    }
}
