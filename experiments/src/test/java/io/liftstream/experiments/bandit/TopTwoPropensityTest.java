package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Issue 12, defect 7: the propensity a top-two decision logs is the probability with which the code
 * actually plays the arm. Each scenario makes 10⁶ decisions through {@link BanditAllocator#decide} (the
 * decision job's path: floor, then {@link TopTwoThompsonPolicy#choose}) and compares each arm's play
 * frequency with the logged propensity: relative error ≤ 2% for every arm played with probability
 * ≥ 0.01. The binomial standard error of a frequency is 1% of p at p = 0.01 and below 0.6% for
 * p ≥ 0.03, so the bound also bounds the propensity's own error well below 2%.
 *
 * <p>On the old code (the same procedure, but its propensity was Russo's uncapped formula over smoothed
 * 10,000-draw Monte Carlo Thompson probabilities) the dominant-arm scenarios fail: arm 2 is played
 * with probability 0.0300 but was logged 0.0403 (arm 0: 0.4758 played, 0.4647 logged).
 */
class TopTwoPropensityTest {
    private static final int DECISIONS = 1_000_000;

    static Stream<Arguments> scenarios() {
        return Stream.of(
                // The issue's scenario: Beta(501, 4501), Beta(601, 4401), Beta(451, 4551), floor 1%.
                Arguments.of("dominant arm, floor 1%", conversions(new long[] {5000, 5000, 5000}, new long[] {500, 600, 450}),
                        BanditSettings.DEFAULTS, 0.5),
                // With two arms and β = ½ every arm gets ½ whatever q; β = 0.7 gives 0.7·q_j + 0.3·(1 − q_j).
                Arguments.of("two arms", conversions(new long[] {200, 180}, new long[] {20, 24}), BanditSettings.NONE, 0.7),
                Arguments.of("two arms, one dominant", conversions(new long[] {2000, 2000}, new long[] {200, 240}),
                        BanditSettings.DEFAULTS, 0.7),
                Arguments.of("eight arms", conversions(new long[] {3000, 3100, 3200, 3300, 3400, 3500, 3600, 3700},
                        new long[] {300, 312, 320, 338, 330, 372, 360, 344}), new BanditSettings(0.005, 100), 0.5),
                Arguments.of("normal-gamma revenue", NormalGammaPosteriors.of(
                        revenue(400, 20, 15, 1), revenue(500, 22.5, 15, 2), revenue(300, 21, 18, 3), revenue(450, 18, 15, 4)),
                        BanditSettings.NONE, 0.5),
                Arguments.of("normal-gamma, an arm with one reward", NormalGammaPosteriors.of(
                        revenue(400, 20, 15, 1), revenue(500, 22.5, 15, 2), revenue(1, 21, 18, 3)),
                        BanditSettings.NONE, 0.3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void loggedPropensityIsThePlayProbability(String name, ArmPosteriors posteriors, BanditSettings settings, double beta) {
        BanditAllocator allocator = new BanditAllocator(new TopTwoThompsonPolicy(beta), settings);
        double[] logged = allocator.allocation(posteriors);
        long[] plays = new long[logged.length];
        SplittableRandom rng = new SplittableRandom(20261202);
        for (int i = 0; i < DECISIONS; i++) {
            Decision d = allocator.decide(posteriors, rng);
            assertThat(d.propensity()).isEqualTo(logged[d.arm()]);
            plays[d.arm()]++;
        }
        double total = 0;
        int checked = 0;
        for (int i = 0; i < logged.length; i++) {
            total += logged[i];
            double played = (double) plays[i] / DECISIONS;
            if (logged[i] >= 0.01 || played >= 0.01) {
                checked++;
                assertThat(played).as("%s: arm %d played %.5f, logged %.5f", name, i, played, logged[i])
                        .isCloseTo(logged[i], within(0.02 * logged[i]));
            }
        }
        assertThat(total).isCloseTo(1, within(1e-9));
        assertThat(checked).isGreaterThanOrEqualTo(2);
    }

    @Test
    void dominantArmScenarioFromTheIssue() {
        ArmPosteriors p = conversions(new long[] {5000, 5000, 5000}, new long[] {500, 600, 450});
        BanditAllocator allocator = new BanditAllocator(new TopTwoThompsonPolicy(0.5), BanditSettings.DEFAULTS);
        double[] logged = allocator.allocation(p);
        // Arm 2 is played with probability 0.02998 (the issue measured 0.0303 by simulation), not the
        // 0.0403 logged before.
        assertThat(logged[2]).isCloseTo(0.02998, within(0.00002));
        // 93% of challengers come from the fallback after 99 redraws: q_1^99.
        double q1 = p.thompsonProbability(1);
        assertThat(Math.pow(q1, TopTwoThompsonPolicy.REDRAWS)).isCloseTo(0.933, within(0.002));
        // Russo's uncapped formula would say 0.0103 for arm 2: right for the uncapped procedure only.
        double q0 = p.thompsonProbability(0);
        double q2 = p.thompsonProbability(2);
        double russo = 0.5 * q2 + 0.5 * q2 * (q0 / (1 - q0) + q1 / (q0 + q2));
        assertThat(0.01 + 0.97 * russo).isCloseTo(0.0103, within(0.0001));
    }

    @Test
    void withoutRedrawFailuresTheProbabilityIsRussos() {
        // Two close arms: redraws find a challenger (q_I^99 ≈ 0), so p_j = β q_j + (1 − β) q_j Σ q_I/(1 − q_I).
        ArmPosteriors p = conversions(new long[] {1000, 1000, 1000}, new long[] {100, 104, 98});
        TopTwoThompsonPolicy policy = new TopTwoThompsonPolicy(0.5);
        double[] q = p.thompsonProbabilities();
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int i = 0; i < 3; i++) {
                s += i == j ? 0 : q[i] / (1 - q[i]);
            }
            assertThat(policy.probability(p, j)).isCloseTo(0.5 * q[j] + 0.5 * q[j] * s, within(1e-12));
        }
        // β = 1 is Thompson sampling.
        assertThat(new TopTwoThompsonPolicy(1).probability(p, 1)).isEqualTo(q[1]);
    }

    private static ArmPosteriors conversions(long[] trials, long[] successes) {
        ConversionStats[] s = new ConversionStats[trials.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = new ConversionStats(trials[i], successes[i]);
        }
        return BetaBernoulliPosteriors.of(s);
    }

    static ValueStats revenue(int n, double mean, double sd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ValueStats s = ValueStats.EMPTY;
        for (int i = 0; i < n; i++) {
            s = s.add(Math.max(0, mean + sd * rng.nextGaussian()));
        }
        return s;
    }
}
