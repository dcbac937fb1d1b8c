package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Beta–Bernoulli snapshots and what is derived from them: the conjugate parameters under any prior,
 * the Monte Carlo Thompson probabilities (smoothed, seeded by content), the argmax of a draw, the
 * Bernoulli KL of Lai–Robbins, and the counting records' validation.
 */
class PosteriorSnapshotsTest {

    @Test
    void conjugateUpdateUnderAnInformativePrior() {
        BetaBernoulliPosteriors p = BetaBernoulliPosteriors.of(new BetaPrior(2, 30), new ConversionStats(50, 4),
                ConversionStats.EMPTY);
        assertThat(p.alpha(0)).isEqualTo(6.0);
        assertThat(p.beta(0)).isEqualTo(76.0);
        assertThat(p.alpha(1)).isEqualTo(2.0);
        assertThat(p.beta(1)).isEqualTo(30.0);
        assertThat(p.empiricalMean(1)).isZero();
        assertThat(p.observations(1)).isZero();
        assertThat(p.empiricalMean(0)).isEqualTo(0.08);
        assertThatThrownBy(() -> BetaBernoulliPosteriors.of()).hasMessage("need at least one arm");
        assertThatThrownBy(() -> new BetaPrior(0, 1)).hasMessage("Beta prior parameters must be positive, were 0.0, 1.0");
        assertThatThrownBy(() -> new BetaPrior(1, -1)).hasMessageContaining("were 1.0, -1.0");
        assertThatThrownBy(() -> new BetaPrior(1, 0)).hasMessage("Beta prior parameters must be positive, were 1.0, 0.0");
        assertThat(new BetaPrior(1e-9, 1e-9).alpha()).isEqualTo(1e-9);
    }

    @Test
    void drawsFollowThePosteriorMean() {
        BetaBernoulliPosteriors p = BetaBernoulliPosteriors.of(new BetaPrior(2, 30), new ConversionStats(50, 4));
        SplittableRandom rng = new SplittableRandom(8);
        double sum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            sum += p.sample(0, rng);
        }
        double mean = 6.0 / 82;
        double sd = Math.sqrt(mean * (1 - mean) / 83);
        assertThat(sum / n).isCloseTo(mean, within(5 * sd / Math.sqrt(n)));
    }

    @Test
    void argmaxTakesTheLargestDrawAndTheLowestIndexOnTies() {
        ArmPosteriors fixed = new ArmPosteriors() {
            final double[] values = {0.3, 0.7, 0.7, 0.1};

            @Override public int arms() { return values.length; }
            @Override public long observations(int arm) { return 1; }
            @Override public double empiricalMean(int arm) { return values[arm]; }
            @Override public double sample(int arm, SplittableRandom rng) { return values[arm]; }
            @Override public double cdf(int arm, double x) { return x >= values[arm] ? 1 : 0; }
            @Override public double location(int arm) { return values[arm]; }
            @Override public double spread(int arm) { return 1e-3; }
        };
        assertThat(fixed.sampleArgmax(new SplittableRandom(1))).isEqualTo(1);
        assertThat(new ThompsonPolicy().choose(fixed, new SplittableRandom(1))).isEqualTo(1);
        assertThat(EpsilonGreedyPolicy.greedy(fixed)).isEqualTo(1);
    }

    @Test
    void bernoulliKullbackLeibler() {
        assertThat(LaiRobbins.bernoulliKl(0.3, 0.3)).isZero();
        assertThat(LaiRobbins.bernoulliKl(1, 0.5)).isCloseTo(Math.log(2), within(1e-15));
        // KL(0.1 ‖ 0.2) = 0.1 ln 0.5 + 0.9 ln(9/8) = 0.036690014034750584
        assertThat(LaiRobbins.bernoulliKl(0.1, 0.2)).isCloseTo(0.036690014034750584, within(1e-15));
        // Equal best arms contribute nothing; the constant for (0.1, 0.2, 0.2) is 0.1 / KL(0.1 ‖ 0.2).
        assertThat(LaiRobbins.constant(new double[] {0.1, 0.2, 0.2})).isCloseTo(0.1 / 0.036690014034750584, within(1e-12));
        assertThat(LaiRobbins.constant(new double[] {0.2, 0.2})).isZero();
        assertThat(LaiRobbins.bound(new double[] {0.1, 0.2}, 1)).isZero();
        assertThat(LaiRobbins.bound(new double[] {0.1, 0.2}, 1000))
                .isCloseTo(0.1 / 0.036690014034750584 * Math.log(1000), within(1e-9));
    }

    @Test
    void countingRecordsValidate() {
        assertThat(new ConversionStats(3, 3).add(false)).isEqualTo(new ConversionStats(4, 3));
        assertThat(new ConversionStats(3, 3).add(true)).isEqualTo(new ConversionStats(4, 4));
        assertThat(new ConversionStats(0, 0)).isEqualTo(ConversionStats.EMPTY);
        assertThatThrownBy(() -> new ConversionStats(3, 4)).hasMessage("need 0 <= successes <= trials, was 4/3");
        assertThatThrownBy(() -> new ConversionStats(-1, 0)).hasMessage("need 0 <= successes <= trials, was 0/-1");
        assertThatThrownBy(() -> new ConversionStats(1, -1)).hasMessage("need 0 <= successes <= trials, was -1/1");
        ValueStats v = ValueStats.EMPTY.add(2).add(4);
        assertThat(v).isEqualTo(new ValueStats(2, 6, 20));
        assertThat(v.plus(new ValueStats(1, 3, 9))).isEqualTo(new ValueStats(3, 9, 29));
        assertThat(v.mean()).isEqualTo(3.0);
        assertThat(v.sumSquaredDeviations()).isEqualTo(2.0);
        assertThat(ValueStats.EMPTY.mean()).isZero();
        assertThat(ValueStats.EMPTY.sumSquaredDeviations()).isZero();
        assertThat(new ValueStats(2, 2, 1.9999999).sumSquaredDeviations()).isZero(); // clamped against rounding
        assertThatThrownBy(() -> ValueStats.EMPTY.add(Double.NaN)).hasMessage("reward must be finite, was NaN");
        assertThatThrownBy(() -> new ValueStats(-1, 0, 0)).hasMessage("invalid value statistics n=-1 sum=0.0 sumSquares=0.0");
        assertThatThrownBy(() -> new ValueStats(1, 0, -1)).hasMessageContaining("sumSquares=-1.0");
        assertThatThrownBy(() -> new ValueStats(1, Double.POSITIVE_INFINITY, 0)).hasMessageContaining("sum=Infinity");
        assertThatThrownBy(() -> new ValueStats(1, 0, Double.NaN)).hasMessageContaining("sumSquares=NaN");
    }

    @Test
    void gammaShapeMustBePositive() {
        SplittableRandom rng = new SplittableRandom(1);
        assertThatThrownBy(() -> RandomVariates.gamma(rng, 0)).hasMessage("gamma shape must be positive, was 0.0");
        assertThatThrownBy(() -> RandomVariates.gamma(rng, Double.NaN)).hasMessage("gamma shape must be positive, was NaN");
        assertThat(RandomVariates.gamma(rng, 1e-3)).isGreaterThanOrEqualTo(0);
    }
}
