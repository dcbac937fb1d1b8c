package io.liftstream.experiments.decision;

import io.liftstream.experiments.bandit.ConversionStats;
import io.liftstream.experiments.bandit.ValueStats;

/**
 * Exact sufficient statistics of one arm's rewards: n, Σx and Σx², with each reward rounded to
 * {@link #QUANTUM} and summed in 128-bit integers. Integer addition is associative, so partial tallies
 * from any number of subtasks and epochs merge to the same bits in any order: the posteriors, and so
 * every bandit draw, are identical on every run. (Summing doubles would depend on arrival order.)
 *
 * <p>A mutable value with public fields and a no-argument constructor, so Flink serializes it as a
 * POJO in state and on the posterior loop.
 */
public class RewardTally {
    /** Rewards are rounded to 1/10000 (a hundredth of a cent for revenue). */
    public static final double QUANTUM = 1e-4;
    public static final long UNITS = 10_000L;
    /** Largest absolute reward accepted; larger ones are clamped (Σx² stays exact for 10^6 of them). */
    public static final double MAX_ABS_REWARD = 1e12;

    private static final double TWO_TO_64 = 18446744073709551616.0;

    public long n;
    public long sumHi;
    public long sumLo;
    public long sqHi;
    public long sqLo;

    public RewardTally() {}

    public static RewardTally copyOf(RewardTally t) {
        RewardTally c = new RewardTally();
        c.add(t);
        return c;
    }

    /** Adds one reward. */
    public RewardTally add(double reward) {
        double clamped = Double.isFinite(reward) ? Math.max(-MAX_ABS_REWARD, Math.min(MAX_ABS_REWARD, reward)) : 0;
        long units = Math.round(clamped * UNITS);
        n++;
        long lo = sumLo + units;
        sumHi += (units >> 63) + (Long.compareUnsigned(lo, sumLo) < 0 ? 1 : 0);
        sumLo = lo;
        long sqLow = units * units;
        long sqHigh = Math.multiplyHigh(units, units);
        long l2 = sqLo + sqLow;
        sqHi += sqHigh + (Long.compareUnsigned(l2, sqLo) < 0 ? 1 : 0);
        sqLo = l2;
        return this;
    }

    /** Adds another tally. */
    public RewardTally add(RewardTally o) {
        n += o.n;
        long lo = sumLo + o.sumLo;
        sumHi += o.sumHi + (Long.compareUnsigned(lo, sumLo) < 0 ? 1 : 0);
        sumLo = lo;
        long l2 = sqLo + o.sqLo;
        sqHi += o.sqHi + (Long.compareUnsigned(l2, sqLo) < 0 ? 1 : 0);
        sqLo = l2;
        return this;
    }

    public boolean isEmpty() {
        return n == 0;
    }

    /** Σx as a double (rounded once, from the exact integer). */
    public double sum() {
        return toDouble(sumHi, sumLo) / UNITS;
    }

    /** Σx² as a double. */
    public double sumSquares() {
        return toDouble(sqHi, sqLo) / ((double) UNITS * UNITS);
    }

    /** For 0/1 rewards: trials n and successes Σx. */
    public ConversionStats conversions() {
        long successes = Math.round(sum());
        return new ConversionStats(n, Math.max(0, Math.min(n, successes)));
    }

    public ValueStats values() {
        return new ValueStats(n, sum(), Math.max(0, sumSquares()));
    }

    /**
     * The 128-bit two's-complement value hi·2⁶⁴ + lo as a double. A negative value is negated first:
     * adding −2⁶⁴ to a low word near 2⁶⁴ in doubles would cancel and lose up to 2¹¹ units (0.2 of a
     * reward) to the spacing of doubles near 2⁶⁴.
     */
    private static double toDouble(long hi, long lo) {
        if (hi < 0) {
            return -unsignedToDouble(~hi + (lo == 0 ? 1 : 0), -lo);
        }
        return unsignedToDouble(hi, lo);
    }

    private static double unsignedToDouble(long hi, long lo) {
        double low = lo >= 0 ? lo : (double) (lo >>> 1) * 2.0 + (lo & 1);
        return hi * TWO_TO_64 + low;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RewardTally t && n == t.n && sumHi == t.sumHi && sumLo == t.sumLo && sqHi == t.sqHi
                && sqLo == t.sqLo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(n * 31 + sumLo) ^ Long.hashCode(sqLo);
    }

    @Override
    public String toString() {
        return "RewardTally{n=" + n + ", sum=" + sum() + ", sumSquares=" + sumSquares() + '}';
    }
}
