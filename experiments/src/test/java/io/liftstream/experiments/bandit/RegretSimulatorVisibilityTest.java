package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * When rewards become visible to the policy, checked exactly: UCB1 is deterministic and arms with rates
 * 0 and 1 give deterministic rewards, so the plays follow by hand (and from an independent replay of
 * the documented rules, round t's reward visible from the first refresh round ≥ t + 1 + delay, where
 * refreshes happen at multiples of {@code batch}). No floor, no burn-in.
 */
class RegretSimulatorVisibilityTest {
    private static SimulationResult ucb(double[] rates, long horizon, int batch, int delay) {
        return RegretSimulator.run(new SimulationSettings(PolicyType.UCB1, rates, horizon, 1, batch, delay, 1,
                BanditSettings.NONE));
    }

    @Test
    void withDelayTwoTheFirstArmIsPlayedUntilItsFirstRewardShows() {
        // Rounds 0, 1, 2 play the untried arm 0 (nothing visible before round 3); then arm 1, untried.
        SimulationResult r = ucb(new double[] {0, 1}, 5, 1, 2);
        assertThat(r.regretMean()).isEqualTo(3.0);
        assertThat(r.allocation()).containsExactly(0.6, 0.4);
        assertThat(r.regretSe()).isZero();
    }

    @Test
    void batchesDelayTheRefreshToTheirNextBoundary() {
        // batch 4, delay 5: refreshes at 0, 4 (nothing visible yet), 8 (rounds 0-2 visible) → 8 rounds of arm 0.
        SimulationResult r = ucb(new double[] {0, 1}, 10, 4, 5);
        assertThat(r.regretMean()).isEqualTo(8.0);
        assertThat(r.allocation()).containsExactly(0.8, 0.2);
    }

    @Test
    void longerRunsMatchAnIndependentReplay() {
        // From a replay of the rules above in a few lines of Python (UCB1 index x̄ + √(2 ln n / n_j)).
        SimulationResult r = ucb(new double[] {0, 1}, 200, 2, 3);
        assertThat(r.regretMean()).isEqualTo(8.0);
        assertThat(r.allocation()).containsExactly(new double[] {0.04, 0.96}, within(1e-15));
        SimulationResult three = ucb(new double[] {0, 1, 0}, 300, 1, 0);
        assertThat(three.regretMean()).isEqualTo(16.0);
        assertThat(three.allocation()).containsExactly(new double[] {8 / 300.0, 284 / 300.0, 8 / 300.0}, within(1e-15));
        assertThat(three.laiRobbinsBound()).isEqualTo(LaiRobbins.bound(new double[] {0, 1, 0}, 300));
    }

    @Test
    void regretIsTheAllocationTimesTheGaps() {
        // For any policy: mean regret = horizon · Σ allocation_i (μ* − μ_i).
        double[] rates = {0.05, 0.1, 0.08};
        SimulationResult r = RegretSimulator.run(new SimulationSettings(PolicyType.EPSILON_GREEDY, rates, 2000, 9, 5, 7,
                4, BanditSettings.DEFAULTS));
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            expected += 2000 * r.allocation()[i] * (0.1 - rates[i]);
        }
        assertThat(r.regretMean()).isCloseTo(expected, within(1e-9));
        assertThat(r.regretSe()).isPositive();
        assertThat(r.allocation()[0] + r.allocation()[1] + r.allocation()[2]).isCloseTo(1, within(1e-12));
    }

    @Test
    void standardErrorOfTwoRunsIsHalfTheirDifference() {
        double[] rates = {0.2, 0.5};
        SimulationSettings two = new SimulationSettings(PolicyType.UNIFORM, rates, 500, 3, 1, 0, 2, BanditSettings.NONE);
        SimulationResult r = RegretSimulator.run(two);
        // Uniform: run regret = 0.3 · plays of arm 0; mean allocation gives the mean. se = |r1 − r2|/2, and
        // r1 + r2 = 2·mean, so se ≤ mean; a seeded pair of runs differs.
        assertThat(r.regretMean()).isCloseTo(0.3 * 500 * r.allocation()[0], within(1e-9));
        assertThat(r.regretSe()).isPositive().isLessThanOrEqualTo(r.regretMean());
        assertThat(r.regretSe() * 2 / 0.3).isCloseTo(Math.rint(r.regretSe() * 2 / 0.3), within(1e-6));
    }

    @Test
    void standardErrorIsTheSampleSdOverRootRuns() {
        // Runs draw their generators from the seed in order, so the first runs of a longer simulation
        // are the runs of a shorter one: per-run regrets follow from the means of 1, 2 and 3 runs.
        double[] rates = {0.2, 0.5};
        double m1 = RegretSimulator.run(new SimulationSettings(PolicyType.UNIFORM, rates, 500, 3, 1, 0, 1,
                BanditSettings.NONE)).regretMean();
        double m2 = RegretSimulator.run(new SimulationSettings(PolicyType.UNIFORM, rates, 500, 3, 1, 0, 2,
                BanditSettings.NONE)).regretMean();
        SimulationResult three = RegretSimulator.run(new SimulationSettings(PolicyType.UNIFORM, rates, 500, 3, 1, 0, 3,
                BanditSettings.NONE));
        double r1 = m1;
        double r2 = 2 * m2 - m1;
        double r3 = 3 * three.regretMean() - 2 * m2;
        double m = three.regretMean();
        double sd = Math.sqrt(((r1 - m) * (r1 - m) + (r2 - m) * (r2 - m) + (r3 - m) * (r3 - m)) / 2);
        assertThat(r1).isNotEqualTo(r2);
        assertThat(three.regretSe()).isCloseTo(sd / Math.sqrt(3), within(1e-9));
    }

    @Test
    void settingsAreValidatedAtTheirLimits() {
        double[] two = {0.1, 0.2};
        BanditSettings b = BanditSettings.NONE;
        SimulationSettings ok = new SimulationSettings(PolicyType.THOMPSON, new double[] {0, 1}, 1, 1, 1, 0, 1, b);
        assertThat(ok.rates()).containsExactly(0, 1);
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.FIXED, two, 1, 1, 1, 0, 1, b))
                .hasMessage("policy must be a bandit policy: uniform, thompson, top_two, ucb1 or epsilon_greedy");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, new double[] {0.1}, 1, 1, 1, 0, 1, b))
                .hasMessage("need at least two arms");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, null, 1, 1, 1, 0, 1, b))
                .hasMessage("need at least two arms");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, new double[] {0.1, 1.01}, 1, 1, 1, 0, 1, b))
                .hasMessage("arm rates must be probabilities in [0, 1], got 1.01");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, new double[] {-0.01, 0.1}, 1, 1, 1, 0, 1, b))
                .hasMessage("arm rates must be probabilities in [0, 1], got -0.01");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, two, 0, 1, 1, 0, 1, b))
                .hasMessage("horizon must be at least 1, was 0");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, two, 1, 1, 0, 0, 1, b))
                .hasMessage("batch must be at least 1, was 0");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, two, 1, 1, 1, -1, 1, b))
                .hasMessage("delay must not be negative, was -1");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, two, 1, 1, 1, 0, 0, b))
                .hasMessage("runs must be at least 1, was 0");
        assertThatThrownBy(() -> new SimulationSettings(PolicyType.THOMPSON, new double[] {0.1, 0.2, 0.3}, 1, 1, 1, 0, 1,
                new BanditSettings(0.34, 0))).hasMessage("min_arm_share 0.34 is too large for 3 arms");
        assertThat(new SimulationSettings(PolicyType.THOMPSON, two, 1, 1, 1, 0, 1, new BanditSettings(0.5, 0)).bandit()
                .minArmShare()).isEqualTo(0.5);
    }

    @Test
    void settingsAreValuesThatCopyTheirRates() {
        double[] rates = {0.1, 0.2};
        SimulationSettings s = new SimulationSettings(PolicyType.THOMPSON, rates, 10, 7, 2, 3, 4, BanditSettings.DEFAULTS);
        rates[0] = 0.9;
        assertThat(s.rates()).containsExactly(0.1, 0.2);
        s.rates()[1] = 0.9;
        assertThat(s.rates()).containsExactly(0.1, 0.2);
        SimulationSettings same = new SimulationSettings(PolicyType.THOMPSON, new double[] {0.1, 0.2}, 10, 7, 2, 3, 4,
                BanditSettings.DEFAULTS);
        assertThat(s).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(s).isNotEqualTo(new SimulationSettings(PolicyType.UCB1, new double[] {0.1, 0.2}, 10, 7, 2, 3, 4,
                BanditSettings.DEFAULTS));
        assertThat(s).isNotEqualTo(new SimulationSettings(PolicyType.THOMPSON, new double[] {0.1, 0.2}, 10, 7, 2, 3, 5,
                BanditSettings.DEFAULTS));
        assertThat(s.toString()).isEqualTo("SimulationSettings[policy=thompson, rates=[0.1, 0.2], horizon=10, seed=7, "
                + "batch=2, delay=3, runs=4, bandit=BanditSettings[minArmShare=0.01, burnIn=100]]");
    }
}
