package io.liftstream.experiments.stats.srm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Both SRM tests when there is nothing to test, and with arms of weight 0. */
class SrmEdgeCasesTest {

    @Test
    void chiSquareHasNothingToTestWithoutTwoWeightedArmsOrUnits() {
        assertThat(ChiSquareSrm.pValue(new long[] {0, 0}, new double[] {1, 1})).isEqualTo(1.0);
        assertThat(ChiSquareSrm.pValue(new long[] {500, 10}, new double[] {1, 0})).isEqualTo(1.0);
        assertThat(ChiSquareSrm.pValue(new long[] {0, 0, 900}, new double[] {1, 1, 0})).isEqualTo(1.0);
        assertThatThrownBy(() -> ChiSquareSrm.pValue(new long[] {1, 2}, new double[] {1}))
                .hasMessage("one weight per arm");
        // One unit is enough: X² = (1 − ½)²/½ · 2 = 1, df 1.
        assertThat(ChiSquareSrm.pValue(new long[] {1, 0}, new double[] {1, 1}))
                .isCloseTo(org.apache.commons.math3.special.Erf.erfc(Math.sqrt(0.5)), within(1e-15));
    }

    @Test
    void chiSquareUsesTheWeightsAsExpectedShares() {
        // 900/100 expected at 90/10 is a perfect fit; at 50/50 a huge mismatch.
        assertThat(ChiSquareSrm.pValue(new long[] {900, 100}, new double[] {0.9, 0.1})).isEqualTo(1.0);
        assertThat(ChiSquareSrm.pValue(new long[] {900, 100}, new double[] {9, 1})).isEqualTo(1.0);
        assertThat(ChiSquareSrm.pValue(new long[] {900, 100}, new double[] {1, 1})).isLessThan(1e-100);
    }

    @Test
    void sequentialBayesFactorLeavesWeightZeroArmsOut() {
        double without = SequentialSrm.logBayesFactor(new long[] {480, 520}, new double[] {1, 1}, 100);
        double with = SequentialSrm.logBayesFactor(new long[] {480, 520, 37}, new double[] {1, 1, 0}, 100);
        assertThat(with).isFinite().isEqualTo(without);
        assertThat(SequentialSrm.logBayesFactor(new long[] {37, 480, 520}, new double[] {0, 1, 1}, 100)).isEqualTo(without);
    }

    @Test
    void sequentialPValueClampsThePreviousValueAndKeepsItWithoutData() {
        assertThat(SequentialSrm.pValue(new long[] {0, 0}, new double[] {1, 1}, 10_000, 0.3)).isEqualTo(0.3);
        assertThat(SequentialSrm.pValue(new long[] {0, 0}, new double[] {1, 1}, 10_000, 7)).isEqualTo(1.0);
        assertThat(SequentialSrm.pValue(new long[] {0, 0}, new double[] {1, 1}, 10_000, -1)).isEqualTo(0.0);
        assertThat(SequentialSrm.pValue(new long[] {500, 9}, new double[] {1, 0}, 10_000, 0.4)).isEqualTo(0.4);
        // A perfect 50/50 split has BF < 1: p stays 1.
        assertThat(SequentialSrm.pValue(new long[] {5000, 5000}, new double[] {1, 1}, 10_000, 1)).isEqualTo(1.0);
        // A mismatch gives exactly 1/BF.
        long[] skewed = {450, 550};
        double bf = Math.exp(SequentialSrm.logBayesFactor(skewed, new double[] {1, 1}, 10_000));
        assertThat(bf).isGreaterThan(1);
        assertThat(SequentialSrm.pValue(skewed, new double[] {1, 1}, 10_000, 1)).isCloseTo(1 / bf, within(1e-15));
    }
}
