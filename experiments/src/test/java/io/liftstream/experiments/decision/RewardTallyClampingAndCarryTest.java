package io.liftstream.experiments.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.bandit.ConversionStats;
import io.liftstream.experiments.bandit.ValueStats;

import org.junit.jupiter.api.Test;

/**
 * The 128-bit tally at its edges: carries out of the low word (positive and negative rewards, when
 * adding one reward and when merging), clamping of huge and non-finite rewards, and the conversion
 * view of rewards outside {0, 1}.
 */
class RewardTallyClampingAndCarryTest {

    @Test
    void negativeRewardsBorrowFromTheHighWord() {
        RewardTally t = new RewardTally().add(5).add(-3);
        assertThat(t.sum()).isEqualTo(2.0);
        assertThat(t.sumHi).isZero();
        assertThat(t.sumSquares()).isEqualTo(34.0);
        RewardTally negative = new RewardTally().add(-2.5);
        assertThat(negative.sumHi).isEqualTo(-1);
        assertThat(negative.sum()).isEqualTo(-2.5);
        assertThat(negative.sumSquares()).isEqualTo(6.25);
    }

    /**
     * Refunds make an arm's revenue total negative. Before the fix the 128-bit total was converted as
     * −2⁶⁴ + (2⁶⁴ − units) in doubles, whose spacing near 2⁶⁴ is 4096 units: −2.5 came out as −2.4576.
     */
    @Test
    void aNegativeTotalIsExactToTheQuantum() {
        RewardTally refunds = new RewardTally().add(-19.99).add(5.0);
        assertThat(refunds.sum()).isEqualTo(-14.99);
        assertThat(refunds.values().mean()).isEqualTo(-7.495);
        assertThat(new RewardTally().add(-0.0001).sum()).isEqualTo(-0.0001);
        RewardTally big = new RewardTally();
        for (int i = 0; i < 3; i++) {
            big.add(-1e12);
        }
        big.add(0.0001);
        assertThat(big.sum()).isEqualTo(-2999999999999.9999);
    }

    @Test
    void sumsCarryPastTwoToThe64Units() {
        // 2000 rewards of 1e12 = 2e19 units > 2^64 ≈ 1.8447e19: the low word wraps once.
        RewardTally t = new RewardTally();
        for (int i = 0; i < 2000; i++) {
            t.add(1e12);
        }
        assertThat(t.sum()).isEqualTo(2e15);
        assertThat(t.sumHi).isEqualTo(1);
        assertThat(t.sumSquares()).isCloseTo(2e27, org.assertj.core.api.Assertions.withinPercentage(1e-12));
        RewardTally half = new RewardTally();
        for (int i = 0; i < 1000; i++) {
            half.add(1e12);
        }
        assertThat(half.sumHi).isZero();
        assertThat(half.sumLo).isNegative(); // 1e19 units ≥ 2^63: the low word's sign bit is set
        assertThat(half.sum()).isEqualTo(1e15);
        RewardTally merged = RewardTally.copyOf(half).add(half);
        assertThat(merged).isEqualTo(t);
        assertThat(merged.sum()).isEqualTo(2e15);

        RewardTally minus = new RewardTally();
        for (int i = 0; i < 2000; i++) {
            minus.add(-1e12);
        }
        assertThat(minus.sum()).isEqualTo(-2e15);
        assertThat(minus.sumSquares()).isCloseTo(2e27, org.assertj.core.api.Assertions.withinPercentage(1e-12));
    }

    @Test
    void mergingCarriesInTheSquares() {
        // Each tally's Σx² low word is large; merged, the carry must reach the high word.
        RewardTally a = new RewardTally().add(4e5).add(4e5);
        RewardTally b = new RewardTally().add(4e5).add(4e5);
        RewardTally all = new RewardTally().add(4e5).add(4e5).add(4e5).add(4e5);
        assertThat(a.add(b)).isEqualTo(all);
        assertThat(all.sumSquares()).isEqualTo(4 * 1.6e11);
        assertThat(all.n).isEqualTo(4);
    }

    @Test
    void aZeroRewardCarriesNothing() {
        RewardTally zero = new RewardTally().add(0).add(0);
        assertThat(zero.sumHi).isZero();
        assertThat(zero.sqHi).isZero();
        assertThat(zero.sum()).isZero();
        assertThat(zero.sumSquares()).isZero();
        RewardTally merged = new RewardTally().add(3).add(new RewardTally().add(0));
        assertThat(merged.sum()).isEqualTo(3.0);
        assertThat(merged.sumSquares()).isEqualTo(9.0);
        assertThat(merged.sqHi).isZero();
    }

    @Test
    void aNegativeMultipleOfTwoToThe64UnitsConvertsExactly() {
        // hi = −1, lo = 0 is −2^64 units: the negation must carry into the high word.
        RewardTally t = new RewardTally();
        t.n = 1;
        t.sumHi = -1;
        t.sumLo = 0;
        assertThat(t.sum()).isEqualTo(-18446744073709551616.0 / RewardTally.UNITS);
        t.sumLo = -1; // −1 unit
        assertThat(t.sum()).isEqualTo(-0.0001);
    }

    @Test
    void hugeAndNonFiniteRewardsAreClampedNotPropagated() {
        assertThat(new RewardTally().add(1e13).sum()).isEqualTo(RewardTally.MAX_ABS_REWARD);
        assertThat(new RewardTally().add(-1e13).sum()).isEqualTo(-RewardTally.MAX_ABS_REWARD);
        assertThat(new RewardTally().add(1e12).sum()).isEqualTo(1e12);
        RewardTally nan = new RewardTally().add(Double.NaN).add(Double.POSITIVE_INFINITY);
        assertThat(nan.n).isEqualTo(2);
        assertThat(nan.sum()).isZero();
        assertThat(nan.sumSquares()).isZero();
    }

    @Test
    void roundsToTheQuantum() {
        RewardTally t = new RewardTally().add(0.00004).add(0.00006);
        assertThat(t.sum()).isEqualTo(0.0001); // 0 units + 1 unit
        assertThat(RewardTally.QUANTUM * RewardTally.UNITS).isEqualTo(1.0);
    }

    @Test
    void conversionsClampSuccessesToTrials() {
        assertThat(new RewardTally().add(2).add(3).conversions()).isEqualTo(new ConversionStats(2, 2));
        assertThat(new RewardTally().add(-1).add(1).conversions()).isEqualTo(new ConversionStats(2, 0));
        assertThat(new RewardTally().conversions()).isEqualTo(ConversionStats.EMPTY);
        assertThat(new RewardTally().add(0.6).add(0.6).conversions()).isEqualTo(new ConversionStats(2, 1));
    }

    @Test
    void valuesAreTheExactSums() {
        assertThat(new RewardTally().add(1.5).add(2.5).values()).isEqualTo(new ValueStats(2, 4.0, 8.5));
        assertThat(new RewardTally().values()).isEqualTo(ValueStats.EMPTY);
    }

    @Test
    void equalityHashAndCopy() {
        RewardTally a = new RewardTally().add(1).add(2);
        RewardTally b = new RewardTally().add(2).add(1);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new RewardTally().add(3)); // same sum, different n and Σx²
        assertThat(a).isNotEqualTo(new RewardTally().add(0).add(3)); // same n and sum, different Σx²
        assertThat(a).isNotEqualTo(new RewardTally().add(1).add(1)); // same n, different sum
        assertThat(a.equals("x")).isFalse();
        RewardTally c = RewardTally.copyOf(a);
        c.add(5);
        assertThat(a.n).isEqualTo(2);
        assertThat(a.isEmpty()).isFalse();
        assertThat(new RewardTally().isEmpty()).isTrue();
        assertThat(a.toString()).isEqualTo("RewardTally{n=2, sum=3.0, sumSquares=5.0}");
        assertThat(new RewardTally().hashCode()).isZero();
        assertThat(new RewardTally().add(0.0001).hashCode()).isEqualTo(33); // (1·31 + 1) ^ 1
    }
}
