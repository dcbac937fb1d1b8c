package io.liftstream.experiments.stats;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * The few distribution functions the statistics need, as static functions over commons-math3's
 * special functions. No distribution objects are built: analyses run per event in the streaming
 * jobs, and commons-math3's distribution classes allocate and carry a random generator.
 *
 * <p>Tails are computed directly (never as {@code 1 - cdf}), so p-values at extreme z stay accurate
 * down to the smallest doubles instead of rounding to 0 at z ≈ 8.
 */
public final class Distributions {
    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);

    private Distributions() {}

    /** Standard normal density φ(x). */
    public static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
    }

    /** Standard normal distribution function Φ(x) = erfc(−x/√2)/2. */
    public static double normalCdf(double x) {
        return 0.5 * Erf.erfc(-x / SQRT2);
    }

    /** Standard normal upper tail 1 − Φ(x), accurate far into the tail. */
    public static double normalSf(double x) {
        return 0.5 * Erf.erfc(x / SQRT2);
    }

    /** Standard normal quantile Φ⁻¹(p) for p in (0, 1); ±∞ at 0 and 1. */
    public static double normalQuantile(double p) {
        if (p <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        // erfcInv keeps precision in both tails; Φ⁻¹(p) = −√2 erfc⁻¹(2p).
        return -SQRT2 * Erf.erfcInv(2.0 * p);
    }

    /** Upper tail P(T > t) of Student's t with (possibly fractional) {@code df} degrees of freedom. */
    public static double studentSf(double t, double df) {
        if (Double.isInfinite(df)) {
            return normalSf(t);
        }
        // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2) (Abramowitz & Stegun 26.7.1 and 26.5.27).
        double x = df / (df + t * t);
        double twoTail = Beta.regularizedBeta(x, 0.5 * df, 0.5);
        return t >= 0 ? 0.5 * twoTail : 1.0 - 0.5 * twoTail;
    }

    /** Distribution function P(T ≤ t) of Student's t. */
    public static double studentCdf(double t, double df) {
        return studentSf(-t, df);
    }

    /** Student's t density. */
    public static double studentPdf(double t, double df) {
        double logC = Gamma.logGamma(0.5 * (df + 1)) - Gamma.logGamma(0.5 * df) - 0.5 * Math.log(df * Math.PI);
        return Math.exp(logC - 0.5 * (df + 1) * Math.log1p(t * t / df));
    }

    /**
     * Quantile of Student's t: Newton's method on the distribution function, started at the normal
     * quantile and kept inside a bracket (bisection fallback), to full double precision.
     */
    public static double studentQuantile(double p, double df) {
        if (p <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (p == 0.5) {
            return 0.0;
        }
        if (p < 0.5) {
            return -studentQuantile(1 - p, df);
        }
        if (df > 1e7) {
            return normalQuantile(p);
        }
        double upperTail = 1 - p;
        double lo = 0;
        double hi = Math.max(1, normalQuantile(p));
        while (studentSf(hi, df) > upperTail) {
            lo = hi;
            hi *= 2;
            if (hi > 1e300) {
                return Double.POSITIVE_INFINITY;
            }
        }
        double t = Math.min(Math.max(normalQuantile(p), lo), hi);
        for (int i = 0; i < 200; i++) {
            double f = studentSf(t, df) - upperTail; // decreasing in t
            if (f > 0) {
                lo = t;
            } else {
                hi = t;
            }
            double next = t + f / studentPdf(t, df);
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) {
                return next;
            }
            t = next;
        }
        return t;
    }

    /** Upper tail of the chi-square distribution with {@code df} degrees of freedom. */
    public static double chiSquareSf(double x, double df) {
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(0.5 * df, 0.5 * x);
    }
}
