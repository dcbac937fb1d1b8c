package io.liftstream.experiments.stats.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmMoments;
import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.EffectEstimator;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.frequentist.WelchTTest;
import io.liftstream.experiments.stats.sequential.ConfidenceSequence;
import io.liftstream.experiments.stats.sequential.GroupSequentialTest;
import io.liftstream.experiments.stats.sequential.GstPlan;
import io.liftstream.experiments.stats.sequential.MixtureSprt;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Each design's planned sample size, run through the engine's own tests on simulated users: a
 * conversion rate of 20 % lifted by 15 % (relative), α = 0.05, power 0.8, 50/50 split. Users are
 * Bernoulli draws (seeded), the analysis is the engine's (Welch, confidence sequence, mSPRT, GST),
 * and the share of significant experiments at the planned n must be the target power within 3.5
 * Monte Carlo standard errors (0.031 with 2000 experiments).
 */
class PowerSimulationTest {
    private static final int EXPERIMENTS = 2000;
    private static final double TOLERANCE = 3.5 * Math.sqrt(0.8 * 0.2 / EXPERIMENTS);
    private static final double RATE = 0.20;
    private static final double LIFT = 0.15;
    private static final PowerSpec TWO = new PowerSpec(Baseline.rate(RATE), true, Sides.TWO, 0.05, 0.8, 0.5, 0.5);

    @Test
    void fixedHorizonReachesItsPower() {
        long perArm = perArm(new FixedDesign(), TWO);
        double achieved = simulate(TWO, perArm, new long[] {perArm}, 1, (effect, look, state) ->
                WelchTTest.test(effect, TWO.sides(), TWO.alpha()).significant());
        assertThat(achieved).isCloseTo(0.8, org.assertj.core.api.Assertions.within(TOLERANCE));
    }

    @Test
    void fixedHorizonOneSided() {
        PowerSpec greater = new PowerSpec(Baseline.rate(RATE), true, Sides.GREATER, 0.05, 0.8, 0.5, 0.5);
        long perArm = perArm(new FixedDesign(), greater);
        assertThat(perArm).isLessThan(perArm(new FixedDesign(), TWO));
        double achieved = simulate(greater, perArm, new long[] {perArm}, 2, (effect, look, state) ->
                WelchTTest.test(effect, Sides.GREATER, greater.alpha()).significant());
        assertThat(achieved).isCloseTo(0.8, org.assertj.core.api.Assertions.within(TOLERANCE));
    }

    @Test
    void confidenceSequenceReachesItsPowerAtThePlannedN() {
        SequentialConfig config = SequentialConfig.DEFAULT;
        long perArm = perArm(new SequentialDesign(config), TWO);
        assertThat(perArm).isGreaterThan(perArm(new FixedDesign(), TWO));
        // At the planned n alone: the target power.
        double atN = simulate(TWO, perArm, new long[] {perArm}, 3, (effect, look, state) ->
                ConfidenceSequence.test(effect, TWO.sides(), TWO.alpha(), config).significant());
        assertThat(atN).isCloseTo(0.8, org.assertj.core.api.Assertions.within(TOLERANCE));
        // Monitored at 20 looks (running-minimum p-value, as the engine): at least that.
        double monitored = simulate(TWO, perArm, looks(perArm, 20), 3, (effect, look, state) ->
                ConfidenceSequence.test(effect, TWO.sides(), TWO.alpha(), config).significant());
        assertThat(monitored).isGreaterThanOrEqualTo(atN);
    }

    @Test
    void msprtReachesItsPowerAtThePlannedN() {
        double tau2 = Analyzer.defaultTau2(true, RATE);
        long perArm = perArm(new MsprtDesign(tau2), TWO);
        double atN = simulate(TWO, perArm, new long[] {perArm}, 4, (effect, look, state) ->
                MixtureSprt.test(effect, TWO.sides(), TWO.alpha(), tau2, 1.0).significant());
        assertThat(atN).isCloseTo(0.8, org.assertj.core.api.Assertions.within(TOLERANCE));
        double monitored = simulate(TWO, perArm, looks(perArm, 20), 4, (effect, look, state) ->
                MixtureSprt.test(effect, TWO.sides(), TWO.alpha(), tau2, 1.0).significant());
        assertThat(monitored).isGreaterThanOrEqualTo(atN);
    }

    @Test
    void groupSequentialReachesItsPowerOverItsLooks() {
        GstDesign gst = new GstDesign(5);
        long perArm = perArm(gst, TWO);
        long[] looks = looks(perArm, 5);
        double achieved = simulate(TWO, perArm, looks, 5, (effect, look, state) -> {
            long[] taken = new long[look + 1];
            for (int k = 0; k <= look; k++) {
                taken[k] = 2 * looks[k];
            }
            return GroupSequentialTest.test(effect, TWO.sides(), TWO.alpha(), new GstPlan(2 * perArm, taken))
                    .significant();
        });
        assertThat(achieved).isCloseTo(0.8, org.assertj.core.api.Assertions.within(TOLERANCE));
    }

    @Test
    void groupSequentialStopsEarlyOnAverage() {
        GstDesign gst = new GstDesign(5);
        double users = PowerPlanner.usersFor(gst, TWO, LIFT);
        double expected = gst.expectedUsers(TWO, LIFT, users);
        assertThat(expected).isLessThan(users).isLessThan(PowerPlanner.usersFor(new FixedDesign(), TWO, LIFT));
        // Without studentization (κ = 1) the maximum sample size is exactly R times the fixed one.
        PowerSpec plain = new PowerSpec(Baseline.rate(RATE), true, Sides.TWO, 0.05, 0.8, 0.5, 0.5, false);
        assertThat(PowerPlanner.usersFor(gst, plain, LIFT) / PowerPlanner.usersFor(new FixedDesign(), plain, LIFT))
                .isCloseTo(gst.inflationFactor(plain), org.assertj.core.api.Assertions.within(1e-6));
    }

    private static long perArm(Design design, PowerSpec spec) {
        return (long) Math.ceil(PowerPlanner.usersFor(design, spec, LIFT) / 2);
    }

    /** Users per arm at {@code k} equally spaced looks, the last at {@code perArm}. */
    private static long[] looks(long perArm, int k) {
        long[] n = new long[k];
        for (int i = 0; i < k; i++) {
            n[i] = Math.round(perArm * (i + 1.0) / k);
        }
        return n;
    }

    interface Rule {
        /** Whether the look {@code look} (0-based) is significant. */
        boolean significant(Effect effect, int look, Object state);
    }

    /** Share of experiments significant at some look (they stop there). */
    private static double simulate(PowerSpec spec, long perArm, long[] looks, long seed, Rule rule) {
        SplittableRandom rng = new SplittableRandom(seed);
        double pC = spec.baseline().mean();
        double pT = spec.baseline().treatmentMean(Design.signed(spec, LIFT), true);
        assertThat(looks[looks.length - 1]).isEqualTo(perArm);
        int significant = 0;
        for (int e = 0; e < EXPERIMENTS; e++) {
            long c = 0;
            long t = 0;
            long n = 0;
            for (int look = 0; look < looks.length; look++) {
                for (; n < looks[look]; n++) {
                    c += rng.nextDouble() < pC ? 1 : 0;
                    t += rng.nextDouble() < pT ? 1 : 0;
                }
                Effect effect = EffectEstimator.estimate(arm(n, c), arm(n, t), true);
                if (effect.ok() && rule.significant(effect, look, null)) {
                    significant++;
                    break;
                }
            }
        }
        return (double) significant / EXPERIMENTS;
    }

    private static ArmMoments arm(long n, long conversions) {
        return ArmMoments.of(SampleStats.of(n, conversions, conversions), MetricType.PROPORTION);
    }

    @Test
    void looksAreEquallySpaced() {
        assertThat(Arrays.stream(looks(1000, 5)).boxed().toList()).containsExactly(200L, 400L, 600L, 800L, 1000L);
    }
}
