package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

/**
 * Issue 12, defect 8: the default normal-gamma prior is scale free. With a fixed β₀ = 1 (the old
 * default) rewards of sd 0.01 had, at n = 1000, a posterior scale of the mean 4.4 times s/√n (the
 * bandit over-explored), and the allocation depended on the currency unit. On the old code
 * {@link #posteriorSdOfTheMeanIsTheStandardErrorAtEveryScale} fails at scales 0.01 and 0.1, and
 * {@link #allocationIsInvariantToRescalingTheRewards} fails for Thompson and top-two.
 */
class NormalGammaScaleFreeTest {

    @ParameterizedTest(name = "reward sd {0}")
    @ValueSource(doubles = {0.01, 0.1, 1, 10, 100, 1000})
    void posteriorSdOfTheMeanIsTheStandardErrorAtEveryScale(double scale) {
        int n = 1000;
        ValueStats a = normal(n, 5 * scale, scale, 11);
        ValueStats b = normal(n, 5.1 * scale, scale, 12);
        NormalGammaPosteriors p = NormalGammaPosteriors.of(a, b);
        ValueStats[] stats = {a, b};
        for (int arm = 0; arm < 2; arm++) {
            ValueStats s = stats[arm];
            double standardError = Math.sqrt(s.sumSquaredDeviations() / (n - 1) / n);
            double df = 2 * p.alpha(arm);
            double posteriorSd = p.meanScale(arm) * Math.sqrt(df / (df - 2)); // sd of the Student-t
            assertThat(posteriorSd / standardError).as("scale %s arm %d", scale, arm).isCloseTo(1, within(0.01));
            assertThat(p.mu(arm)).isCloseTo(s.mean(), within(0.001 * standardError * Math.sqrt(n)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = PolicyType.class, names = {"THOMPSON", "TOP_TWO"})
    void allocationIsInvariantToRescalingTheRewards(PolicyType type) {
        // Few rewards per arm, so that the prior matters: 120, 150 and 90 revenue values in dollars; no burn-in.
        for (double unit : new double[] {0.01, 1000}) {
            ValueStats[] dollars = {revenue(120, 0.8, 21), revenue(150, 0.9, 22), revenue(90, 0.7, 23)};
            ValueStats[] scaled = new ValueStats[dollars.length];
            for (int i = 0; i < dollars.length; i++) {
                scaled[i] = rescaled(dollars[i], unit);
            }
            BanditAllocator allocator = new BanditAllocator(BanditPolicy.of(type), new BanditSettings(0.01, 0));
            ArmPosteriors p1 = NormalGammaPosteriors.of(dollars);
            ArmPosteriors p2 = NormalGammaPosteriors.of(scaled);
            SplittableRandom r1 = new SplittableRandom(8);
            SplittableRandom r2 = new SplittableRandom(8);
            int differ = 0;
            for (int i = 0; i < 20_000; i++) {
                differ += allocator.choose(p1, r1) == allocator.choose(p2, r2) ? 0 : 1;
            }
            assertThat(differ).as("%s, rewards × %s: decisions that differ", type, unit).isZero();
            double[] q1 = allocator.allocation(p1);
            double[] q2 = allocator.allocation(p2);
            assertThat(q2).as("%s, rewards × %s: propensities", type, unit).containsExactly(q1, within(1e-9));
        }
    }

    @ParameterizedTest(name = "reward sd {0}")
    @ValueSource(doubles = {0.01, 1, 1000})
    void explicitPriorsAreUntouched(double scale) {
        // An explicit prior is used as given (the golden conjugate update is in PosteriorsTest).
        ValueStats s = normal(50, 3 * scale, scale, 5);
        NormalGammaPrior prior = new NormalGammaPrior(0, 0.01, 1, 1);
        NormalGammaPosteriors p = NormalGammaPosteriors.of(prior, s);
        assertThat(p.beta(0)).isCloseTo(1 + s.sumSquaredDeviations() / 2
                + 0.01 * 50 * s.mean() * s.mean() / (2 * 50.01), within(1e-9 * p.beta(0)));
    }

    @Test
    void defaultPriorIsCentredAndScaledByThePooledRewards() {
        // Arms: {1, 3} and {10, 14}: N = 4, mean 7, within-arm S = 2 + 8 = 10 over N − 2 = 2 → v = 5.
        ValueStats a = ValueStats.EMPTY.add(1).add(3);
        ValueStats b = ValueStats.EMPTY.add(10).add(14);
        assertThat(NormalGammaPrior.scaledTo(a, b)).isEqualTo(new NormalGammaPrior(7, 0.01, 1, 5));
        // No arm has two distinct rewards: the variance of all rewards, Σ(x − 10/3)²/(N − 1) = (96/9)/2.
        ValueStats c = ValueStats.EMPTY.add(2).add(2);
        ValueStats d = ValueStats.EMPTY.add(6);
        NormalGammaPrior between = NormalGammaPrior.scaledTo(c, d);
        assertThat(between.mu()).isCloseTo(10.0 / 3, within(1e-12));
        assertThat(between.beta()).isCloseTo(16.0 / 3, within(1e-12));
        // All rewards equal: m²; all zero or none: 1.
        assertThat(NormalGammaPrior.scaledTo(ValueStats.EMPTY.add(3).add(3), ValueStats.EMPTY.add(3)).beta()).isEqualTo(9);
        assertThat(NormalGammaPrior.scaledTo(ValueStats.EMPTY.add(0).add(0), ValueStats.EMPTY))
                .isEqualTo(new NormalGammaPrior(0, 0.01, 1, 1));
        assertThat(NormalGammaPrior.scaledTo(ValueStats.EMPTY, ValueStats.EMPTY))
                .isEqualTo(new NormalGammaPrior(0, 0.01, 1, 1));
        // Untried arms draw around the pooled mean with the pooled spread; nothing is NaN.
        NormalGammaPosteriors p = NormalGammaPosteriors.of(ValueStats.EMPTY.add(0).add(0).add(0), ValueStats.EMPTY);
        double[] q = p.thompsonProbabilities();
        assertThat(q[0] + q[1]).isCloseTo(1, within(1e-12));
        assertThat(q[1]).isBetween(0.3, 0.7);
    }

    private static ValueStats normal(int n, double mean, double sd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ValueStats s = ValueStats.EMPTY;
        for (int i = 0; i < n; i++) {
            s = s.add(mean + sd * rng.nextGaussian());
        }
        return s;
    }

    /** Mostly zeros, some purchases: revenue per exposure with the given mean. */
    private static ValueStats revenue(int n, double mean, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ValueStats s = ValueStats.EMPTY;
        for (int i = 0; i < n; i++) {
            s = s.add(rng.nextDouble() < 0.05 ? mean / 0.05 * (0.5 + rng.nextDouble()) : 0);
        }
        return s;
    }

    private static ValueStats rescaled(ValueStats s, double c) {
        return new ValueStats(s.n(), s.sum() * c, s.sumSquares() * c * c);
    }
}
