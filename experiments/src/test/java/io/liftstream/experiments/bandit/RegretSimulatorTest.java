package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;

/**
 * Thompson sampling's regret grows like ln T, with a slope near the Lai–Robbins constant, and stays far
 * below uniform allocation and epsilon-greedy (whose regrets grow linearly).
 */
class RegretSimulatorTest {
    private static final double[] RATES = {0.1, 0.2, 0.3};
    private static final long[] HORIZONS = {1_000, 4_000, 16_000, 64_000};

    private static SimulationResult simulate(PolicyType policy, long horizon, BanditSettings settings) {
        return RegretSimulator.run(new SimulationSettings(policy, RATES, horizon, 7, 1, 0, 20, settings));
    }

    @Test
    void laiRobbinsConstantMatchesAHandComputation() {
        // KL(0.04, 0.06) = 0.04 ln(2/3) + 0.96 ln(0.96/0.94) = 0.0039927...; KL(0.05, 0.06) = 0.000937...
        assertThat(LaiRobbins.bernoulliKl(0.04, 0.06)).isCloseTo(0.04 * Math.log(0.04 / 0.06)
                + 0.96 * Math.log(0.96 / 0.94), within(1e-15));
        double expected = 0.02 / LaiRobbins.bernoulliKl(0.04, 0.06) + 0.01 / LaiRobbins.bernoulliKl(0.05, 0.06);
        assertThat(LaiRobbins.constant(new double[] {0.04, 0.05, 0.06})).isCloseTo(expected, within(1e-12))
                .isCloseTo(15.68, within(0.01));
        assertThat(LaiRobbins.bound(new double[] {0.04, 0.05, 0.06}, 100_000)).isCloseTo(expected * Math.log(100_000), within(1e-9));
        assertThat(LaiRobbins.bernoulliKl(0, 0.5)).isCloseTo(Math.log(2), within(1e-15));
    }

    @Test
    void thompsonRegretGrowsLikeLogTWithTheLaiRobbinsSlope() {
        SimpleRegression vsLogT = new SimpleRegression();
        double[] regret = new double[HORIZONS.length];
        for (int i = 0; i < HORIZONS.length; i++) {
            regret[i] = simulate(PolicyType.THOMPSON, HORIZONS[i], BanditSettings.NONE).regretMean();
            vsLogT.addData(Math.log(HORIZONS[i]), regret[i]);
        }
        double c = LaiRobbins.constant(RATES); // 5.61
        assertThat(vsLogT.getRSquare()).isGreaterThan(0.95);
        assertThat(vsLogT.getSlope()).isBetween(0.5 * c, 1.5 * c);
        // Sublinear: 16 times the horizon, far less than 16 times the regret.
        assertThat(regret[3] / regret[1]).isLessThan(2.5);
    }

    @Test
    void thompsonStaysFarBelowUniformAndEpsilonGreedy() {
        long t = HORIZONS[HORIZONS.length - 1];
        double thompson = simulate(PolicyType.THOMPSON, t, BanditSettings.NONE).regretMean();
        SimulationResult uniform = simulate(PolicyType.UNIFORM, t, BanditSettings.NONE);
        SimulationResult greedy = simulate(PolicyType.EPSILON_GREEDY, t, BanditSettings.NONE);
        assertThat(uniform.regretMean()).isCloseTo(t * 0.1, within(0.02 * t * 0.1)); // mean gap (0.2 + 0.1 + 0)/3
        assertThat(thompson).isLessThan(0.05 * uniform.regretMean());
        assertThat(thompson).isLessThan(0.2 * greedy.regretMean());
        // Epsilon-greedy's exploration alone costs ε·T·(mean gap) = 0.1 × 64,000 × 0.1 = 640.
        assertThat(greedy.regretMean()).isGreaterThan(600);
    }

    @Test
    void theFloorAndTheBurnInCostWhatTheyShould() {
        long t = 64_000;
        double bare = simulate(PolicyType.THOMPSON, t, BanditSettings.NONE).regretMean();
        double withDefaults = simulate(PolicyType.THOMPSON, t, BanditSettings.DEFAULTS).regretMean();
        // Floor: 3% of rounds uniform, regret 0.03 × T × 0.1 = 192; burn-in ≈ 300 uniform rounds × 0.1 = 30.
        assertThat(withDefaults - bare).isBetween(150.0, 300.0);
    }

    @Test
    void delayedAndBatchedRewardsCostLittleAndKeepRegretSublinear() {
        long t = 64_000;
        double prompt = simulate(PolicyType.THOMPSON, t, BanditSettings.NONE).regretMean();
        double late = RegretSimulator.run(new SimulationSettings(PolicyType.THOMPSON, RATES, t, 7, 500, 1_000, 20,
                BanditSettings.NONE)).regretMean();
        assertThat(late).isGreaterThan(prompt);
        // At most ~1,500 rounds of stale information: regret stays far below uniform's 6,400.
        assertThat(late).isLessThan(prompt + 250);
    }

    @Test
    void sameSettingsSameResult() {
        SimulationSettings s = new SimulationSettings(PolicyType.TOP_TWO, RATES, 5_000, 11, 3, 2, 3, BanditSettings.DEFAULTS);
        SimulationResult a = RegretSimulator.run(s);
        SimulationResult b = RegretSimulator.run(s);
        assertThat(a.regretMean()).isEqualTo(b.regretMean());
        assertThat(a.allocation()).containsExactly(b.allocation());
        assertThat(a.allocation()[0] + a.allocation()[1] + a.allocation()[2]).isCloseTo(1, within(1e-9));
    }
}
