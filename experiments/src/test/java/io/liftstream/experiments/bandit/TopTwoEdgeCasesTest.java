package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Top-two's propensity where the geometric series degenerates: one arm so far ahead that the other
 * arms' Thompson probabilities underflow to 0, so every challenger comes from the fallback draw.
 */
class TopTwoEdgeCasesTest {

    @Test
    void whenOneArmAlwaysWinsEveryChallengerIsTheFallbacksRunnerUp() {
        // 90% against 10.0% and 10.2% on 100,000 trials each: q = (1, 0, 0) in double precision.
        ArmPosteriors p = BetaBernoulliPosteriors.of(new ConversionStats(100_000, 90_000),
                new ConversionStats(100_000, 10_000), new ConversionStats(100_000, 10_200));
        assertThat(p.thompsonProbabilities()).containsExactly(1.0, 0.0, 0.0);
        ThompsonProbabilities t = p.thompson();
        // Without arm 0 it is a contest of 10.0% and 10.2% (z ≈ 1.5).
        assertThat(t.runnerUp(0, 2)).isBetween(0.9, 0.95);
        TopTwoThompsonPolicy policy = new TopTwoThompsonPolicy(0.5);
        assertThat(policy.probability(p, 0)).isEqualTo(0.5);
        assertThat(policy.probability(p, 1)).isCloseTo(0.5 * t.runnerUp(0, 1), within(1e-15));
        assertThat(policy.probability(p, 2)).isCloseTo(0.5 * t.runnerUp(0, 2), within(1e-15));
        int decisions = 40_000;
        long[] plays = new long[3];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < decisions; i++) {
            plays[policy.choose(p, rng)]++;
        }
        for (int j = 0; j < 3; j++) {
            double pj = policy.probability(p, j);
            double se = Math.sqrt(pj * (1 - pj) / decisions);
            assertThat((double) plays[j] / decisions).as("arm %d", j).isCloseTo(pj, within(5 * se));
        }
    }

    @Test
    void propensitiesSumToOneForEveryBeta() {
        ArmPosteriors p = BetaBernoulliPosteriors.of(new ConversionStats(3000, 300), new ConversionStats(3000, 330),
                new ConversionStats(3000, 320), new ConversionStats(500, 40));
        double[] q = p.thompsonProbabilities();
        for (double beta : new double[] {0.1, 0.5, 0.9, 1}) {
            TopTwoThompsonPolicy policy = new TopTwoThompsonPolicy(beta);
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                double pj = policy.probability(p, j);
                // Never below β·q_j (the leader's share) and, for β < 1, the challengers add to it.
                assertThat(pj).isGreaterThanOrEqualTo(beta * q[j] - 1e-15);
                sum += pj;
            }
            assertThat(sum).as("β = %s", beta).isCloseTo(1, within(1e-12));
        }
        // The leader is played less than by Thompson sampling, the others more.
        int leader = 1;
        assertThat(new TopTwoThompsonPolicy(0.5).probability(p, leader)).isLessThan(q[leader]);
        assertThat(new TopTwoThompsonPolicy(0.5).probability(p, 2)).isGreaterThan(q[2]);
    }
}
