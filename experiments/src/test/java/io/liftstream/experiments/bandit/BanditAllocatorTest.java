package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

/**
 * Propensities: they sum to 1, respect the floor, equal the closed forms where those exist, and match
 * the frequencies with which {@link BanditAllocator#decide} actually plays each arm.
 */
class BanditAllocatorTest {
    private static final ArmPosteriors CONVERSIONS = BetaBernoulliPosteriors.of(
            new ConversionStats(1_000, 40), new ConversionStats(1_000, 52), new ConversionStats(1_000, 55),
            new ConversionStats(400, 12));
    private static final ArmPosteriors REVENUE = NormalGammaPosteriors.of(
            revenue(300, 20, 15, 1), revenue(300, 22, 15, 2), revenue(300, 21, 15, 3));

    private static ValueStats revenue(int n, double mean, double sd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ValueStats s = ValueStats.EMPTY;
        for (int i = 0; i < n; i++) {
            s = s.add(Math.max(0, mean + sd * rng.nextGaussian()));
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(value = PolicyType.class, names = "FIXED", mode = EnumSource.Mode.EXCLUDE)
    void propensitiesSumToOneRespectTheFloorAndMatchPlayFrequencies(PolicyType type) {
        for (ArmPosteriors posteriors : new ArmPosteriors[] {CONVERSIONS, REVENUE}) {
            BanditAllocator allocator = new BanditAllocator(BanditPolicy.of(type), new BanditSettings(0.02, 100));
            double[] p = allocator.allocation(posteriors);
            assertThat(sum(p)).isCloseTo(1, within(1e-9));
            for (double pi : p) {
                assertThat(pi).isGreaterThanOrEqualTo(0.02 - 1e-12);
            }
            int decisions = 100_000;
            long[] plays = new long[p.length];
            double inverseSum = 0;
            SplittableRandom rng = new SplittableRandom(3);
            for (int i = 0; i < decisions; i++) {
                Decision d = allocator.decide(posteriors, rng);
                assertThat(d.propensity()).isEqualTo(p[d.arm()]);
                assertThat(d.exact()).isEqualTo(type != PolicyType.THOMPSON && type != PolicyType.TOP_TWO);
                plays[d.arm()]++;
                inverseSum += 1 / d.propensity();
            }
            // Quadrature propensities are accurate far beyond the Monte Carlo error of 100,000 decisions.
            double mcError = 0;
            for (int i = 0; i < p.length; i++) {
                double se = Math.sqrt(p[i] * (1 - p[i]) / decisions);
                assertThat((double) plays[i] / decisions).as("%s arm %d", type, i)
                        .isCloseTo(p[i], within(5 * se + mcError));
            }
            // E[1/propensity of the played arm] = number of arms when propensities are right.
            assertThat(inverseSum / decisions).as("%s mean inverse propensity", type)
                    .isCloseTo(p.length, within(0.05 * p.length));
        }
    }

    @Test
    void floorMixesInExactly() {
        // Epsilon-greedy, ε = 0.1, 4 arms, floor 0.02: the greedy arm (2: 55/1000) has
        // p_policy = 0.9 + 0.025 = 0.925, so p = 0.02 + (1 − 0.08)·0.925 = 0.871; others 0.02 + 0.92·0.025.
        BanditAllocator a = new BanditAllocator(new EpsilonGreedyPolicy(0.1), new BanditSettings(0.02, 0));
        assertThat(a.allocation(CONVERSIONS)).containsExactly(new double[] {0.043, 0.043, 0.871, 0.043}, within(1e-12));
        // UCB1 is deterministic: n = 3400, index x̄ + √(2 ln n / n_j). The least-tried arm 3 wins:
        // 0.03 + √(2 ln 3400 / 400) = 0.2316 against arm 2's 0.055 + √(2 ln 3400 / 1000) = 0.1825.
        BanditAllocator u = new BanditAllocator(new Ucb1Policy(), new BanditSettings(0.01, 0));
        assertThat(u.allocation(CONVERSIONS)).containsExactly(new double[] {0.01, 0.01, 0.01, 0.97}, within(1e-12));
    }

    @Test
    void burnInIsUniformUntilEveryArmHasEnoughObservations() {
        ArmPosteriors young = BetaBernoulliPosteriors.of(new ConversionStats(150, 30), new ConversionStats(99, 1));
        BanditAllocator a = new BanditAllocator(new ThompsonPolicy(), BanditSettings.DEFAULTS);
        assertThat(a.inBurnIn(young)).isTrue();
        assertThat(a.allocation(young)).containsExactly(0.5, 0.5);
        Decision d = a.decide(young, new SplittableRandom(1));
        assertThat(d.propensity()).isEqualTo(0.5);
        assertThat(d.exact()).isTrue();
        ArmPosteriors grown = BetaBernoulliPosteriors.of(new ConversionStats(150, 30), new ConversionStats(100, 1));
        assertThat(a.inBurnIn(grown)).isFalse();
        assertThat(a.allocation(grown)[1]).isCloseTo(0.01, within(0.001)); // the floor: arm 1 is clearly worse
    }

    @Test
    void topTwoPlaysTheRunnerUpMoreThanThompson() {
        double[] ts = new BanditAllocator(new ThompsonPolicy(), BanditSettings.NONE).allocation(CONVERSIONS);
        double[] tt = new BanditAllocator(new TopTwoThompsonPolicy(0.5), BanditSettings.NONE).allocation(CONVERSIONS);
        int best = ts[2] > ts[1] ? 2 : 1;
        int runnerUp = 3 - best;
        assertThat(tt[best]).isLessThan(ts[best]);
        assertThat(tt[runnerUp]).isGreaterThan(ts[runnerUp]);
        // With β = 1 top-two is Thompson sampling.
        double[] tt1 = new BanditAllocator(new TopTwoThompsonPolicy(1), BanditSettings.NONE).allocation(CONVERSIONS);
        assertThat(tt1).containsExactly(ts, within(1e-12));
    }

    @Test
    void decisionsAreReproducibleFromTheSeed() {
        BanditAllocator a = new BanditAllocator(new ThompsonPolicy(), BanditSettings.DEFAULTS);
        SplittableRandom r1 = new SplittableRandom(42);
        SplittableRandom r2 = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            assertThat(a.decide(CONVERSIONS, r1)).isEqualTo(a.decide(CONVERSIONS, r2));
        }
    }

    private static double sum(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s;
    }
}
