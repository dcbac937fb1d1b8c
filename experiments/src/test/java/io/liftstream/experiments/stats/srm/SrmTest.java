package io.liftstream.experiments.stats.srm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

class SrmTest {

    @Test
    void chiSquareMatchesGbstats() {
        // gbstats tests/test_gbstats.py test_srm: check_srm([1000, 1200], [0.5, 0.5]) == 0.000020079 (9 decimals)
        double p = ChiSquareSrm.pValue(new long[] {1000, 1200}, new double[] {0.5, 0.5});
        assertThat(Math.round(p * 1e9) / 1e9).isCloseTo(0.000020079, within(1e-12));
    }

    @Test
    void zeroWeightArmsLeaveTheTestAndItsDegreesOfFreedom() {
        double withThird = ChiSquareSrm.pValue(new long[] {1000, 1200, 77}, new double[] {0.5, 0.5, 0});
        double two = ChiSquareSrm.pValue(new long[] {1000, 1200}, new double[] {0.5, 0.5});
        assertThat(withThird).isEqualTo(two);
        // Three weighted arms: df = 2. X² = 2·(100²/1100)·... computed by hand below.
        long[] n = {1000, 1100, 1200};
        double e = 1100;
        double x2 = (100.0 * 100 + 0 + 100.0 * 100) / e;
        assertThat(ChiSquareSrm.pValue(n, new double[] {1, 1, 1})).isCloseTo(Math.exp(-x2 / 2), within(1e-15));
    }

    @Test
    void sequentialMatchesGbstatsDirections() {
        // gbstats tests/test_ssrm.py: balanced high, imbalanced low, nothing observed → 1
        assertThat(SequentialSrm.pValue(new long[] {500, 500}, new double[] {0.5, 0.5}, 10_000, 1)).isGreaterThan(0.05);
        assertThat(SequentialSrm.pValue(new long[] {100, 900}, new double[] {0.5, 0.5}, 10_000, 1)).isLessThan(0.05);
        assertThat(SequentialSrm.pValue(new long[] {0, 0}, new double[] {0.5, 0.5}, 10_000, 1)).isEqualTo(1.0);
    }

    @Test
    void bayesFactorOfTotalsEqualsTheProductOfOneStepPredictives() {
        // The Bayes factor as a sequence of one-unit updates (Lindon & Malek: posterior predictive
        // of each assignment under Dirichlet-multinomial over its null probability) must equal the
        // closed form on the totals, whatever the order.
        double[] w = {0.2, 0.3, 0.5};
        double c = 50;
        SplittableRandom r = new SplittableRandom(3);
        long[] counts = new long[3];
        double[] alpha = {c * 0.2, c * 0.3, c * 0.5};
        double logBf = 0;
        for (int i = 0; i < 4000; i++) {
            double u = r.nextDouble();
            int arm = u < 0.19 ? 0 : u < 0.5 ? 1 : 2;
            double total = alpha[0] + alpha[1] + alpha[2];
            logBf += Math.log(alpha[arm] / total) - Math.log(w[arm]);
            alpha[arm] += 1;
            counts[arm]++;
        }
        assertThat(SequentialSrm.logBayesFactor(counts, w, c)).isCloseTo(logBf, within(1e-8));
    }

    @Test
    void closedFormByHand() {
        // counts (3, 1), p0 = (1/2, 1/2), c = 2 → α = (1, 1): BF = Γ(2)/Γ(6)·Γ(4)Γ(2)/(Γ(1)Γ(1)) / 2⁻⁴ = 6/120·16 = 0.8
        assertThat(Math.exp(SequentialSrm.logBayesFactor(new long[] {3, 1}, new double[] {1, 1}, 2))).isCloseTo(0.8, within(1e-12));
        assertThat(Gamma.logGamma(6)).isCloseTo(Math.log(120), within(1e-12));
    }

    @Test
    void runningMinimumOfThePreviousValue() {
        double first = SequentialSrm.pValue(new long[] {100, 900}, new double[] {1, 1}, 10_000, 1);
        double later = SequentialSrm.pValue(new long[] {5000, 5000}, new double[] {1, 1}, 10_000, first);
        assertThat(later).isEqualTo(first);
    }

    @Test
    void sequentialSrmIsAnytimeValidUnderTheNull() {
        // 400 seeded A/A experiments, 20 looks of 500 assignments each at 50/50: rejections at any
        // look must stay ≤ α = 0.05 (+ 3 Monte Carlo SE ≈ 0.033).
        SplittableRandom r = new SplittableRandom(11);
        int rejected = 0;
        int experiments = 400;
        for (int e = 0; e < experiments; e++) {
            long[] counts = new long[2];
            double p = 1;
            for (int look = 0; look < 20; look++) {
                for (int i = 0; i < 500; i++) {
                    counts[r.nextBoolean() ? 1 : 0]++;
                }
                p = SequentialSrm.pValue(counts, new double[] {1, 1}, SequentialSrm.DEFAULT_CONCENTRATION, p);
            }
            if (p <= 0.05) {
                rejected++;
            }
        }
        assertThat((double) rejected / experiments).isLessThanOrEqualTo(0.05 + 3 * Math.sqrt(0.05 * 0.95 / experiments));
    }
}
