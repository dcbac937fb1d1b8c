package io.liftstream.experiments.stats.sequential;

import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.Sides;

/**
 * Asymptotic confidence sequences (Waudby-Smith, Arbour, Sinha, Kennedy, Ramdas 2023, "Time-uniform
 * central limit theory and asymptotic confidence sequences", arXiv:2103.06476v7; built on the normal
 * mixture boundary of Howard, Ramdas, McAuliffe, Sekhon 2021), parameterised exactly as GrowthBook's
 * gbstats {@code SequentialTwoSidedTTest} and its one-sided siblings.
 *
 * <p>With n = n_control + n_treatment and s² = SE²·n the per-observation variance analogue:
 * <ul>
 *   <li>mixing parameter ρ = √((−2 ln a + ln(−2 ln a + 1)) / N*), a = α two-sided, 2α one-sided
 *       (eq. 161): the sequence is tightest near n = N*;</li>
 *   <li>two-sided half-width s·√(2(nρ² + 1) ln(√(nρ² + 1)/α) / (nρ)²) (eq. 9);</li>
 *   <li>one-sided half-width s·√(2(nρ² + 1)/(nρ)² · ln(1 + √(nρ² + 1)/(2α))) (gbstats'
 *       {@code sequential_interval_halfwidth_one_sided});</li>
 *   <li>two-sided always-valid p-value min(1, √(nρ² + 1)·exp(−ρ² t²n / (2(nρ² + 1)))), t = Δ̂/SE
 *       (eq. 155), which is exactly the α at which the two-sided sequence touches 0;</li>
 *   <li>one-sided always-valid p-value: the α at which the one-sided sequence touches 0, in closed
 *       form α = √(nρ² + 1) / (2(e^L − 1)), L = ρ² t²n / (2(nρ² + 1)), ρ held at the configured α.
 *       gbstats finds the same α by bisection and caps it to [1e-5, 0.4999]; here it is exact and
 *       capped only at 1.</li>
 * </ul>
 * Valid under continuous monitoring: P(the sequence ever excludes the true lift) ≤ α asymptotically.
 */
public final class ConfidenceSequence {
    private ConfidenceSequence() {}

    /** ρ for tuning sample size {@code tuning} (N*): eq. 161 of Waudby-Smith et al. 2023. */
    public static double rho(double alpha, double tuning, boolean twoSided) {
        double a = twoSided ? alpha : 2 * alpha;
        double logA = Math.log(a);
        return Math.sqrt((-2 * logA + Math.log(-2 * logA + 1)) / tuning);
    }

    /** Two-sided half-width (eq. 9) for per-observation variance {@code s2} after {@code n} observations. */
    public static double halfWidthTwoSided(double s2, long n, double rho, double alpha) {
        double nr2p1 = n * rho * rho + 1;
        double nr = n * rho;
        return Math.sqrt(s2) * Math.sqrt(2 * nr2p1 * Math.log(Math.sqrt(nr2p1) / alpha) / (nr * nr));
    }

    /** One-sided half-width, as gbstats' {@code sequential_interval_halfwidth_one_sided}. */
    public static double halfWidthOneSided(double s2, long n, double rho, double alpha) {
        double nr2p1 = n * rho * rho + 1;
        double nr = n * rho;
        return Math.sqrt(s2 * 2 * nr2p1 / (nr * nr) * Math.log(1 + Math.sqrt(nr2p1) / (2 * alpha)));
    }

    public static Inference test(Effect effect, Sides sides, double alpha, SequentialConfig config) {
        long n = effect.totalN();
        double s2 = effect.variance() * n;
        double est = effect.estimate();
        boolean two = sides == Sides.TWO;
        double rho = rho(alpha, config.tuning(), two);
        double nr2p1 = n * rho * rho + 1;
        // L = ρ²·t²·n / (2(nρ²+1)), the log mixture e-value's data term; computed in log space so
        // an extreme t gives p → 0 rather than exp overflow.
        double t2n = est * est / effect.variance() * n;
        double l = rho * rho * t2n / (2 * nr2p1);
        if (two) {
            double hw = halfWidthTwoSided(s2, n, rho, alpha);
            double logP = 0.5 * Math.log(nr2p1) - l;
            double p = logP >= 0 ? 1.0 : Math.exp(logP);
            return Inference.byPValue(p, est - hw, est + hw, alpha);
        }
        double hw = halfWidthOneSided(s2, n, rho, alpha);
        boolean rightDirection = sides == Sides.GREATER ? est > 0 : est < 0;
        double p = rightDirection ? oneSidedP(l, nr2p1) : 1.0;
        if (sides == Sides.GREATER) {
            return Inference.byPValue(p, est - hw, Double.POSITIVE_INFINITY, alpha);
        }
        return Inference.byPValue(p, Double.NEGATIVE_INFINITY, est + hw, alpha);
    }

    /** α = √(nρ²+1) / (2·expm1(L)), in logs: ln expm1(L) = L + ln(1 − e^−L) for large L. */
    private static double oneSidedP(double l, double nr2p1) {
        if (l <= 0) {
            return 1.0;
        }
        double logExpm1 = l > 30 ? l + Math.log1p(-Math.exp(-l)) : Math.log(Math.expm1(l));
        double logP = 0.5 * Math.log(nr2p1) - Math.log(2) - logExpm1;
        return logP >= 0 ? 1.0 : Math.exp(logP);
    }
}
