package io.liftstream.experiments.results;

import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.SampleStats;

/**
 * A change of one group's CUPED sufficient statistics caused by one user, for the live results job:
 * the user's metric value x and covariate p (their value before exposure) enter Σx, Σx², Σp, Σp² and
 * Σx·p, which add up across users, subtasks and looks and combine into CUPED at each look
 * ({@link io.liftstream.experiments.stats.cuped.CupedAdjustment}: θ = Cov(x, p)/Var(p) from the
 * pooled moments of all arms, Deng, Xu, Kohavi, Walker 2013, eq. 3–4).
 *
 * <p>A user first exposed contributes {@link #exposed(double)} (x = 0 then); every later change of
 * either value, (x, p) → (x', p'), contributes {@link #change}: Σx·p moves by x'p' − xp, which needs
 * only the user's two current values, so per-user state stays two doubles per metric.
 *
 * @param users change of n (1 at exposure, else 0)
 */
public record CupedDelta(long users, double sum, double sumSquares, double preSum, double preSumSquares,
        double sumProduct) {

    public static final CupedDelta NONE = new CupedDelta(0, 0, 0, 0, 0, 0);

    /** A newly exposed user with covariate {@code pre} and (so far) metric value 0. */
    public static CupedDelta exposed(double pre) {
        return new CupedDelta(1, 0, 0, pre, pre * pre, 0);
    }

    /** A user's values moving from (x, p) to (x', p'). */
    public static CupedDelta change(double x, double pre, double x2, double pre2) {
        return new CupedDelta(0, x2 - x, x2 * x2 - x * x, pre2 - pre, pre2 * pre2 - pre * pre, x2 * pre2 - x * pre);
    }

    /**
     * The delta of a user first exposed now, for metric {@code m}: {@code rawPreTotal} is the
     * user's pre-exposure ring total ({@link PreExposureRing#total}), turned into the covariate as
     * the metric defines it ({@link MetricSpec#covariate}: 0/1 for a conversion, capped like the metric).
     */
    public static CupedDelta forExposure(MetricSpec m, double rawPreTotal) {
        return exposed(m.covariate(rawPreTotal));
    }

    /** An exposed user's metric moving from raw total {@code rawX} to {@code rawXAfter} (capped as the metric is). */
    public static CupedDelta forOutcome(MetricSpec m, double rawX, double rawXAfter, double rawPreTotal) {
        double p = m.covariate(rawPreTotal);
        return change(m.capped(rawX), p, m.capped(rawXAfter), p);
    }

    /**
     * An exposed user's pre-exposure total moving from {@code rawPreTotal} to {@code rawPreTotalAfter}:
     * an outcome inside {@link PreExposureWindow#contains the window} that arrives after the exposure
     * was processed (only when the job does not process a user's inputs in event-time order).
     */
    public static CupedDelta forLatePreOutcome(MetricSpec m, double rawX, double rawPreTotal, double rawPreTotalAfter) {
        double x = m.capped(rawX);
        return change(x, m.covariate(rawPreTotal), x, m.covariate(rawPreTotalAfter));
    }

    public CupedDelta plus(CupedDelta o) {
        return new CupedDelta(users + o.users, sum + o.sum, sumSquares + o.sumSquares, preSum + o.preSum,
                preSumSquares + o.preSumSquares, sumProduct + o.sumProduct);
    }

    /** The group's statistics after this change. */
    public CupedStats applyTo(CupedStats s) {
        return new CupedStats(s.post().merge(SampleStats.of(users, sum, sumSquares)),
                s.pre().merge(SampleStats.of(users, preSum, preSumSquares)), s.sumProduct() + sumProduct);
    }
}
