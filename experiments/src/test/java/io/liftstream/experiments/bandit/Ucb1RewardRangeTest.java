package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Issue 12, defect 9: UCB1's bonus √(2 ln n / n_j) assumes rewards in [0, 1] (Auer et al. 2002). With
 * revenue it was added to raw dollar means, so the bonus (0.1 to 0.2) could not change the ranking and
 * UCB1 was greedy. With a declared {@link RewardRange} the mean is rescaled to [0, 1] first. (The old
 * Ucb1Policy had no range: it played arm 1, the greedy arm, in the scenario below.)
 */
class Ucb1RewardRangeTest {
    // Revenue per exposure: means 30, 45 and 38 dollars from 400, 1000 and 600 exposures; n = 2000.
    private static final ArmPosteriors REVENUE = NormalGammaPosteriors.of(
            stats(400, 30), stats(1000, 45), stats(600, 38));

    private static ValueStats stats(long n, double mean) {
        return new ValueStats(n, n * mean, n * (mean * mean + 100));
    }

    @Test
    void normalisedIndexGoldenValues() {
        // (x̄ − 0)/200 + √(2 ln 2000 / n_j), ln 2000 = 7.6009024595.
        Ucb1Policy ucb = new Ucb1Policy(new RewardRange(0, 200));
        assertThat(ucb.index(REVENUE, 0)).isCloseTo(0.3449474604, within(1e-10));
        assertThat(ucb.index(REVENUE, 1)).isCloseTo(0.3482955998, within(1e-10));
        assertThat(ucb.index(REVENUE, 2)).isCloseTo(0.3491739348, within(1e-10));
        assertThat(ucb.choose(REVENUE, new SplittableRandom(1))).isEqualTo(2);
        assertThat(ucb.probability(REVENUE, 2)).isEqualTo(1);
        assertThat(ucb.probability(REVENUE, 1)).isZero();
        // A range not starting at 0: (x̄ + 50)/200.
        Ucb1Policy shifted = new Ucb1Policy(new RewardRange(-50, 150));
        assertThat(shifted.index(REVENUE, 0)).isCloseTo(0.5949474604, within(1e-10));
    }

    @Test
    void withoutARangeTheBonusIsLostInDollars() {
        // The unit range, as for conversions: 30.195, 45.123, 38.159: the greedy arm, whatever the counts.
        Ucb1Policy unit = new Ucb1Policy();
        assertThat(unit.index(REVENUE, 1)).isCloseTo(45.1232955998, within(1e-10));
        assertThat(unit.choose(REVENUE, new SplittableRandom(1))).isEqualTo(1);
    }

    @Test
    void unitRangeKeepsThePublishedIndexAndUntriedArmsComeFirst() {
        ArmPosteriors conversions = BetaBernoulliPosteriors.of(new ConversionStats(1000, 55), new ConversionStats(400, 12));
        // 0.03 + √(2 ln 1400 / 400) and 0.055 + √(2 ln 1400 / 1000).
        Ucb1Policy ucb = new Ucb1Policy();
        assertThat(ucb.index(conversions, 1)).isCloseTo(0.03 + Math.sqrt(2 * Math.log(1400) / 400), within(1e-15));
        assertThat(ucb.index(conversions, 0)).isCloseTo(0.055 + Math.sqrt(2 * Math.log(1400) / 1000), within(1e-15));
        ArmPosteriors untried = BetaBernoulliPosteriors.of(new ConversionStats(10, 5), ConversionStats.EMPTY);
        assertThat(ucb.index(untried, 0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ucb.choose(untried, new SplittableRandom(1))).isEqualTo(1);
    }

    @Test
    void policyFactoryPassesTheRange() {
        RewardRange range = new RewardRange(0, 200);
        assertThat(((Ucb1Policy) BanditPolicy.of(PolicyType.UCB1, range)).range()).isEqualTo(range);
        assertThat(((Ucb1Policy) BanditPolicy.of(PolicyType.UCB1, null)).range()).isEqualTo(RewardRange.UNIT);
        assertThat(((Ucb1Policy) BanditPolicy.of(PolicyType.UCB1)).range()).isEqualTo(RewardRange.UNIT);
        assertThat(BanditPolicy.of(PolicyType.THOMPSON, range)).isInstanceOf(ThompsonPolicy.class);
    }

    @Test
    void rangeMustBeFiniteAndIncreasing() {
        assertThat(new RewardRange(-50, 150).normalise(100)).isEqualTo(0.75);
        assertThatThrownBy(() -> new RewardRange(10, 10))
                .hasMessage("reward_range must be [min, max] with finite min < max, was [10.0, 10.0]");
        assertThatThrownBy(() -> new RewardRange(0, Double.POSITIVE_INFINITY))
                .hasMessageStartingWith("reward_range must be [min, max] with finite min < max");
        assertThatThrownBy(() -> new RewardRange(Double.NaN, 1))
                .hasMessageStartingWith("reward_range must be [min, max] with finite min < max");
    }
}
