package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

/**
 * The small contracts of the bandit package, at fixed values: validation messages, distribution
 * functions and moments of the posteriors, the exactness flags, the policy factory, and the runner-up
 * probabilities top-two relies on.
 */
class BanditContractsTest {
    private static final ArmPosteriors THREE = BetaBernoulliPosteriors.of(
            new ConversionStats(1000, 40), new ConversionStats(1000, 52), new ConversionStats(800, 41));

    @Test
    void policyNamesAndFactory() {
        assertThat(PolicyType.of("top_two")).isEqualTo(PolicyType.TOP_TWO);
        assertThat(PolicyType.EPSILON_GREEDY).hasToString("epsilon_greedy");
        assertThatThrownBy(() -> PolicyType.of("ucb2")).hasMessage(
                "unknown policy 'ucb2', expected one of fixed, uniform, thompson, top_two, ucb1, epsilon_greedy");
        assertThatThrownBy(() -> BanditPolicy.of(PolicyType.FIXED))
                .hasMessage("policy 'fixed' assigns by hash (ExperimentAssigner), not by a bandit");
    }

    @ParameterizedTest
    @EnumSource(value = PolicyType.class, names = "FIXED", mode = EnumSource.Mode.EXCLUDE)
    void factoryBuildsThePolicyOfThatType(PolicyType type) {
        BanditPolicy p = BanditPolicy.of(type);
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.exact()).isEqualTo(type != PolicyType.THOMPSON && type != PolicyType.TOP_TWO);
        double sum = 0;
        for (int i = 0; i < THREE.arms(); i++) {
            double pi = p.probability(THREE, i);
            assertThat(pi).isBetween(0.0, 1.0);
            sum += pi;
        }
        assertThat(sum).isCloseTo(1, within(1e-12));
    }

    @Test
    void settingsAndPriorsAreValidated() {
        assertThat(BanditSettings.DEFAULTS).isEqualTo(new BanditSettings(0.01, 100));
        assertThatThrownBy(() -> new BanditSettings(1, 0)).hasMessage("min_arm_share must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> new BanditSettings(-0.01, 0)).hasMessage("min_arm_share must be in [0, 1), was -0.01");
        assertThatThrownBy(() -> new BanditSettings(Double.NaN, 0)).hasMessage("min_arm_share must be in [0, 1), was NaN");
        assertThatThrownBy(() -> new BanditSettings(0.1, -1)).hasMessage("burn_in must not be negative, was -1");
        assertThatThrownBy(() -> new BetaPrior(0, 1)).hasMessage("Beta prior parameters must be positive, were 0.0, 1.0");
        assertThatThrownBy(() -> new BetaPrior(1, -2)).hasMessage("Beta prior parameters must be positive, were 1.0, -2.0");
        for (double[] bad : new double[][] {{Double.NaN, 1, 1, 1}, {0, 0, 1, 1}, {0, 1, 0, 1}, {0, 1, 1, 0},
                {0, 1, 1, Double.POSITIVE_INFINITY}}) {
            assertThatThrownBy(() -> new NormalGammaPrior(bad[0], bad[1], bad[2], bad[3]))
                    .hasMessage("normal-gamma prior needs finite mu and positive kappa, alpha, beta");
        }
        assertThatThrownBy(() -> new EpsilonGreedyPolicy(1.5)).hasMessage("epsilon must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> new EpsilonGreedyPolicy(-0.5)).hasMessage("epsilon must be in [0, 1], was -0.5");
        assertThatThrownBy(() -> new TopTwoThompsonPolicy(0)).hasMessage("top-two beta must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> new TopTwoThompsonPolicy(1.2)).hasMessage("top-two beta must be in (0, 1], was 1.2");
    }

    @Test
    void statisticsAreValidated() {
        assertThatThrownBy(() -> new ConversionStats(5, 6)).hasMessage("need 0 <= successes <= trials, was 6/5");
        assertThatThrownBy(() -> new ConversionStats(-1, 0)).hasMessage("need 0 <= successes <= trials, was 0/-1");
        assertThatThrownBy(() -> ValueStats.EMPTY.add(Double.NaN)).hasMessage("reward must be finite, was NaN");
        assertThatThrownBy(() -> new ValueStats(1, 1, -1))
                .hasMessage("invalid value statistics n=1 sum=1.0 sumSquares=-1.0");
        assertThat(new ValueStats(4, 12, 50).mean()).isEqualTo(3);
        assertThat(new ValueStats(4, 12, 50).sumSquaredDeviations()).isEqualTo(14);
        assertThat(new ValueStats(2, 2, 1.9999999).sumSquaredDeviations()).isZero(); // clamped, not negative
        assertThat(ValueStats.EMPTY.mean()).isZero();
        assertThat(ValueStats.EMPTY.sumSquaredDeviations()).isZero();
    }

    @Test
    void aFloorTooLargeForTheArmsIsRefused() {
        BanditAllocator a = new BanditAllocator(new ThompsonPolicy(), new BanditSettings(0.4, 0));
        assertThatThrownBy(() -> a.allocation(THREE)).hasMessage("min_arm_share 0.4 is too large for 3 arms");
        assertThatThrownBy(() -> a.decide(THREE, new SplittableRandom(1))).hasMessage("min_arm_share 0.4 is too large for 3 arms");
        // Exactly 1/k is allowed: every arm gets 1/k.
        assertThat(new BanditAllocator(new ThompsonPolicy(), new BanditSettings(0.25, 0))
                .allocation(BetaBernoulliPosteriors.of(new ConversionStats(10, 1), new ConversionStats(10, 2),
                        new ConversionStats(10, 3), new ConversionStats(10, 4))))
                .containsExactly(new double[] {0.25, 0.25, 0.25, 0.25}, within(1e-15));
    }

    @Test
    void betaPosteriorDistributionFunctionAndMoments() {
        // Beta(2, 3): F(0.5) = (6 + 4 + 1)/16 = 0.6875, mean 0.4, sd √(6/(25·6)) = 0.2.
        BetaBernoulliPosteriors p = BetaBernoulliPosteriors.of(new BetaPrior(1, 1), new ConversionStats(3, 1));
        assertThat(p.cdf(0, 0.5)).isCloseTo(0.6875, within(1e-14));
        assertThat(p.cdf(0, 0)).isZero();
        assertThat(p.cdf(0, -1)).isZero();
        assertThat(p.cdf(0, 1)).isEqualTo(1);
        assertThat(p.location(0)).isCloseTo(0.4, within(1e-15));
        assertThat(p.spread(0)).isCloseTo(0.2, within(1e-15));
        assertThat(p.supportMin()).isZero();
        assertThat(p.supportMax()).isEqualTo(1);
    }

    @Test
    void normalGammaPosteriorDistributionFunction() {
        // The golden update of PosteriorsTest: μ = 7/3, κ = 6, α = 5, β = 11 + 32/12; Student-t, 10 df,
        // scale √(β/(ακ)). t₀.₉₅(10) = 1.812461123.
        NormalGammaPosteriors p = NormalGammaPosteriors.of(new NormalGammaPrior(1, 2, 3, 4),
                ValueStats.EMPTY.add(1).add(2).add(3).add(6));
        double scale = Math.sqrt((11 + 32.0 / 12) / (5 * 6));
        assertThat(p.meanScale(0)).isCloseTo(scale, within(1e-15));
        assertThat(p.location(0)).isCloseTo(7.0 / 3, within(1e-15));
        assertThat(p.spread(0)).isEqualTo(p.meanScale(0));
        assertThat(p.cdf(0, 7.0 / 3)).isCloseTo(0.5, within(1e-14));
        assertThat(p.cdf(0, 7.0 / 3 + 1.812461123 * scale)).isCloseTo(0.95, within(1e-9));
        assertThat(p.cdf(0, 7.0 / 3 - 1.812461123 * scale)).isCloseTo(0.05, within(1e-9));
        assertThat(p.supportMin()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(p.supportMax()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void runnerUpProbabilitiesAreTwoArmContestsWhenOneOfThreeIsExcluded() {
        BetaBernoulliPosteriors p = (BetaBernoulliPosteriors) THREE;
        ThompsonProbabilities t = p.thompson();
        for (int excluded = 0; excluded < 3; excluded++) {
            assertThat(t.runnerUp(excluded, excluded)).isZero();
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += t.runnerUp(excluded, j);
            }
            assertThat(sum).isCloseTo(1, within(1e-12));
        }
        // Without arm 2, arm 1 must beat arm 0: the closed form.
        assertThat(t.runnerUp(2, 1)).isCloseTo(
                PosteriorsTest.probabilityBBeatsA(p.alpha(0), p.beta(0), p.alpha(1), p.beta(1)), within(2e-5));
        assertThat(t.runnerUp(0, 2)).isCloseTo(
                PosteriorsTest.probabilityBBeatsA(p.alpha(1), p.beta(1), p.alpha(2), p.beta(2)), within(2e-5));
        // Memoised per snapshot.
        assertThat(p.thompson()).isSameAs(t);
        // One arm: it always wins.
        assertThat(BetaBernoulliPosteriors.of(new ConversionStats(5, 1)).thompsonProbabilities()).containsExactly(1.0);
    }

    @Test
    void decisionsSayWhetherTheirPropensityIsExact() {
        ArmPosteriors young = BetaBernoulliPosteriors.of(new ConversionStats(10, 1), new ConversionStats(10, 2));
        SplittableRandom rng = new SplittableRandom(3);
        assertThat(new BanditAllocator(new ThompsonPolicy(), BanditSettings.DEFAULTS).decide(young, rng).exact()).isTrue();
        assertThat(new BanditAllocator(new ThompsonPolicy(), BanditSettings.NONE).decide(young, rng).exact()).isFalse();
        assertThat(new BanditAllocator(new Ucb1Policy(), BanditSettings.NONE).decide(young, rng).exact()).isTrue();
        // Burn-in propensity is 1/k while any arm has fewer than burn_in observations.
        ArmPosteriors oneYoung = BetaBernoulliPosteriors.of(new ConversionStats(1000, 40), new ConversionStats(1000, 52),
                new ConversionStats(99, 1));
        assertThat(new BanditAllocator(new ThompsonPolicy(), BanditSettings.DEFAULTS).decide(oneYoung, rng).propensity())
                .isEqualTo(1.0 / 3);
        assertThat(new BanditAllocator(new ThompsonPolicy(), BanditSettings.DEFAULTS).decide(THREE, rng).exact()).isFalse();
    }

    @Test
    void epsilonGreedyAndUniformProbabilitiesAreExact() {
        // Arm 1 has the best mean (0.052); ε = 0.3 over 3 arms: 0.7 + 0.1 and 0.1.
        EpsilonGreedyPolicy eg = new EpsilonGreedyPolicy(0.3);
        assertThat(eg.probability(THREE, 1)).isCloseTo(0.8, within(1e-15));
        assertThat(eg.probability(THREE, 0)).isCloseTo(0.1, within(1e-15));
        assertThat(new EpsilonGreedyPolicy(0).choose(THREE, new SplittableRandom(1))).isEqualTo(1);
        // An untried arm is greedy first.
        ArmPosteriors untried = BetaBernoulliPosteriors.of(new ConversionStats(10, 9), ConversionStats.EMPTY);
        assertThat(new EpsilonGreedyPolicy(0).choose(untried, new SplittableRandom(1))).isEqualTo(1);
        assertThat(new UniformPolicy().probability(THREE, 2)).isEqualTo(1.0 / 3);
        long[] plays = new long[3];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 30_000; i++) {
            plays[new UniformPolicy().choose(THREE, rng)]++;
        }
        for (long c : plays) {
            assertThat(c / 30_000.0).isCloseTo(1.0 / 3, within(0.015));
        }
    }

    @Test
    void topTwoWithOneArmPlaysIt() {
        ArmPosteriors one = BetaBernoulliPosteriors.of(new ConversionStats(10, 3));
        TopTwoThompsonPolicy t = new TopTwoThompsonPolicy(0.5);
        assertThat(t.probability(one, 0)).isEqualTo(1);
        assertThat(t.choose(one, new SplittableRandom(1))).isZero();
    }
}
