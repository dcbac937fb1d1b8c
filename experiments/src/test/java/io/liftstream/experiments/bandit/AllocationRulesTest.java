package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * The exact rules of epsilon-greedy, the uniform floor and the burn-in: greedy ties and untried arms,
 * the propensity formulas, and the limits where the floor or ε take over completely.
 */
class AllocationRulesTest {
    private static BetaBernoulliPosteriors conversions(long... trialsThenSuccesses) {
        ConversionStats[] s = new ConversionStats[trialsThenSuccesses.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = new ConversionStats(trialsThenSuccesses[2 * i], trialsThenSuccesses[2 * i + 1]);
        }
        return BetaBernoulliPosteriors.of(s);
    }

    @Test
    void greedyPrefersUntriedArmsThenTheBestMeanThenTheLowestIndex() {
        assertThat(EpsilonGreedyPolicy.greedy(conversions(10, 9, 0, 0, 10, 1))).isEqualTo(1);
        assertThat(EpsilonGreedyPolicy.greedy(conversions(10, 2, 10, 5, 10, 5))).isEqualTo(1);
        assertThat(EpsilonGreedyPolicy.greedy(conversions(10, 5, 20, 10))).isZero();
        assertThat(EpsilonGreedyPolicy.greedy(conversions(10, 0, 10, 0))).isZero();
        assertThat(EpsilonGreedyPolicy.greedy(conversions(10, 1, 10, 0, 10, 3))).isEqualTo(2);
    }

    @Test
    void epsilonGreedyPropensitiesAreExact() {
        EpsilonGreedyPolicy p = new EpsilonGreedyPolicy(0.2);
        BetaBernoulliPosteriors post = conversions(10, 1, 10, 5, 10, 2, 10, 3);
        assertThat(p.probability(post, 1)).isCloseTo(0.8 + 0.05, within(1e-15));
        assertThat(p.probability(post, 0)).isCloseTo(0.05, within(1e-15));
        assertThat(p.exact()).isTrue();
        assertThat(p.type()).isEqualTo(PolicyType.EPSILON_GREEDY);
        SplittableRandom rng = new SplittableRandom(5);
        int[] plays = new int[4];
        for (int i = 0; i < 20_000; i++) {
            plays[p.choose(post, rng)]++;
        }
        assertThat(plays[1] / 20_000.0).isCloseTo(0.85, within(0.01));
        assertThat(plays[0] / 20_000.0).isCloseTo(0.05, within(0.006));
        assertThat(plays[3] / 20_000.0).isCloseTo(0.05, within(0.006));
    }

    @Test
    void epsilonZeroIsGreedyAndOneIsUniform() {
        BetaBernoulliPosteriors post = conversions(10, 1, 10, 5);
        SplittableRandom rng = new SplittableRandom(1);
        EpsilonGreedyPolicy greedy = new EpsilonGreedyPolicy(0);
        EpsilonGreedyPolicy uniform = new EpsilonGreedyPolicy(1);
        int uniformZero = 0;
        for (int i = 0; i < 4000; i++) {
            assertThat(greedy.choose(post, rng)).isEqualTo(1);
            uniformZero += uniform.choose(post, rng) == 0 ? 1 : 0;
        }
        assertThat(uniformZero / 4000.0).isCloseTo(0.5, within(0.03));
        assertThat(greedy.probability(post, 1)).isEqualTo(1.0);
        assertThat(uniform.probability(post, 1)).isEqualTo(0.5);
        assertThat(EpsilonGreedyPolicy.DEFAULT_EPSILON).isEqualTo(0.1);
        assertThatThrownBy(() -> new EpsilonGreedyPolicy(-0.01)).hasMessage("epsilon must be in [0, 1], was -0.01");
        assertThatThrownBy(() -> new EpsilonGreedyPolicy(1.01)).hasMessage("epsilon must be in [0, 1], was 1.01");
        assertThatThrownBy(() -> new EpsilonGreedyPolicy(Double.NaN)).hasMessage("epsilon must be in [0, 1], was NaN");
    }

    @Test
    void burnInEndsWhenEveryArmHasExactlyTheBurnIn() {
        BanditAllocator a = new BanditAllocator(new EpsilonGreedyPolicy(0), new BanditSettings(0, 10));
        assertThat(a.inBurnIn(conversions(10, 1, 9, 5))).isTrue();
        assertThat(a.inBurnIn(conversions(9, 1, 10, 5))).isTrue();
        assertThat(a.inBurnIn(conversions(10, 1, 10, 5))).isFalse();
        assertThat(a.decide(conversions(10, 1, 10, 5), new SplittableRandom(1))).isEqualTo(new Decision(1, 1.0, true));
        assertThat(a.choose(conversions(10, 1, 10, 5), new SplittableRandom(1))).isEqualTo(1);
        assertThat(new BanditAllocator(new EpsilonGreedyPolicy(0), new BanditSettings(0, 0)).inBurnIn(conversions(0, 0, 0, 0)))
                .isFalse();
        // In burn-in both decide and choose are uniform, whatever the policy would do.
        BetaBernoulliPosteriors young = conversions(10, 1, 9, 5);
        SplittableRandom rng = new SplittableRandom(2);
        int zeroDecide = 0;
        int zeroChoose = 0;
        for (int i = 0; i < 4000; i++) {
            Decision d = a.decide(young, rng);
            assertThat(d.propensity()).isEqualTo(0.5);
            assertThat(d.exact()).isTrue();
            zeroDecide += d.arm() == 0 ? 1 : 0;
            zeroChoose += a.choose(young, rng) == 0 ? 1 : 0;
        }
        assertThat(zeroDecide / 4000.0).isCloseTo(0.5, within(0.03));
        assertThat(zeroChoose / 4000.0).isCloseTo(0.5, within(0.03));
        assertThat(a.allocation(young)).containsExactly(0.5, 0.5);
    }

    @Test
    void aFloorOfOneOverKIsUniformAndMoreIsRefused() {
        BetaBernoulliPosteriors grown = conversions(10, 1, 10, 5);
        BanditAllocator full = new BanditAllocator(new EpsilonGreedyPolicy(0), new BanditSettings(0.5, 0));
        assertThat(full.allocation(grown)).containsExactly(0.5, 0.5);
        assertThat(full.decide(grown, new SplittableRandom(3)).propensity()).isEqualTo(0.5);
        SplittableRandom rng = new SplittableRandom(4);
        int zero = 0;
        for (int i = 0; i < 4000; i++) {
            zero += full.choose(grown, rng) == 0 ? 1 : 0;
        }
        assertThat(zero / 4000.0).isCloseTo(0.5, within(0.03));
        BanditAllocator tooMuch = new BanditAllocator(new EpsilonGreedyPolicy(0), new BanditSettings(0.4, 0));
        BetaBernoulliPosteriors three = conversions(10, 1, 10, 5, 10, 2);
        assertThatThrownBy(() -> tooMuch.choose(three, new SplittableRandom(1)))
                .hasMessage("min_arm_share 0.4 is too large for 3 arms");
        assertThat(tooMuch.policy()).isInstanceOf(EpsilonGreedyPolicy.class);
        assertThat(tooMuch.settings()).isEqualTo(new BanditSettings(0.4, 0));
    }

    @Test
    void withoutAFloorThePolicyAloneDecides() {
        BetaBernoulliPosteriors grown = conversions(10, 1, 10, 5, 10, 2);
        BanditAllocator bare = new BanditAllocator(new EpsilonGreedyPolicy(0), BanditSettings.NONE);
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < 1000; i++) {
            assertThat(bare.choose(grown, rng)).isEqualTo(1);
            assertThat(bare.decide(grown, rng)).isEqualTo(new Decision(1, 1.0, true));
        }
        assertThat(bare.allocation(grown)).containsExactly(0.0, 1.0, 0.0);
        // floor 0.1 with 3 arms: 0.1 + 0.7 · p_policy.
        BanditAllocator floored = new BanditAllocator(new EpsilonGreedyPolicy(0), new BanditSettings(0.1, 0));
        assertThat(floored.allocation(grown)).containsExactly(new double[] {0.1, 0.8, 0.1}, within(1e-15));
        int best = 0;
        for (int i = 0; i < 10_000; i++) {
            best += floored.choose(grown, rng) == 1 ? 1 : 0;
        }
        assertThat(best / 10_000.0).isCloseTo(0.8, within(0.015));
    }

    @Test
    void policiesByTypeAndTheirExactness() {
        assertThat(BanditPolicy.of(PolicyType.UNIFORM)).isInstanceOf(UniformPolicy.class);
        assertThat(BanditPolicy.of(PolicyType.THOMPSON)).isInstanceOf(ThompsonPolicy.class);
        assertThat(BanditPolicy.of(PolicyType.EPSILON_GREEDY).type()).isEqualTo(PolicyType.EPSILON_GREEDY);
        assertThat(BanditPolicy.of(PolicyType.UNIFORM).type()).isEqualTo(PolicyType.UNIFORM);
        assertThat(BanditPolicy.of(PolicyType.THOMPSON).type()).isEqualTo(PolicyType.THOMPSON);
        assertThat(BanditPolicy.of(PolicyType.THOMPSON).exact()).isFalse();
        assertThat(BanditPolicy.of(PolicyType.UNIFORM).exact()).isTrue();
        assertThatThrownBy(() -> BanditPolicy.of(PolicyType.FIXED))
                .hasMessage("policy 'fixed' assigns by hash (ExperimentAssigner), not by a bandit");
        BetaBernoulliPosteriors post = conversions(10, 1, 10, 5, 10, 2, 10, 3);
        assertThat(new UniformPolicy().probability(post, 2)).isEqualTo(0.25);
        assertThat(PolicyType.of("top_two")).isEqualTo(PolicyType.TOP_TWO);
        assertThat(PolicyType.EPSILON_GREEDY.toString()).isEqualTo("epsilon_greedy");
        assertThatThrownBy(() -> PolicyType.of("greedy")).hasMessage(
                "unknown policy 'greedy', expected one of fixed, uniform, thompson, top_two, ucb1, epsilon_greedy");
    }

    @Test
    void settingsLimits() {
        assertThat(BanditSettings.DEFAULTS).isEqualTo(new BanditSettings(0.01, 100));
        assertThat(new BanditSettings(0, 0)).isEqualTo(BanditSettings.NONE);
        assertThatThrownBy(() -> new BanditSettings(1, 0)).hasMessage("min_arm_share must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> new BanditSettings(-0.01, 0)).hasMessage("min_arm_share must be in [0, 1), was -0.01");
        assertThatThrownBy(() -> new BanditSettings(0.1, -1)).hasMessage("burn_in must not be negative, was -1");
    }
}
