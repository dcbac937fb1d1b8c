package io.liftstream.experiments.stats;

import org.apache.commons.math3.special.Beta;
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

    /** Standard normal distribution function Φ(x). */
    public static double normalCdf(double x) {
        return normalSf(-x);
    }

    /**
     * Standard normal upper tail 1 − Φ(x), to about 1e-15 relative accuracy and far into the tail (it
     * is never computed as 1 − Φ), allocation-free and a few tens of nanoseconds per call, which
     * matters in the group sequential recursion. W. J. Cody's near-minimax rational approximations
     * ("Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969, 631–637),
     * in the form of Cody's ACM Algorithm 715 (SPECFUN, ACM TOMS 19, 1993, 22–32, routine ANORM), as R's
     * {@code pnorm_both} evaluates them: a rational function of x² for |x| ≤ 0.674, of |x| up to √32,
     * and of 1/x² beyond, the exponential split as exp(−x₀²/2)·exp(−(x − x₀)(x + x₀)/2) with x₀ = x
     * truncated to 1/16 so that no precision is lost in x².
     */
    public static double normalSf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double y = Math.abs(x);
        if (y <= 0.67448975) {
            double xsq = x * x;
            double xnum = CODY_A[4] * xsq;
            double xden = xsq;
            for (int i = 0; i < 3; i++) {
                xnum = (xnum + CODY_A[i]) * xsq;
                xden = (xden + CODY_B[i]) * xsq;
            }
            return 0.5 - x * (xnum + CODY_A[3]) / (xden + CODY_B[3]);
        }
        double tail; // P(X > |x|)
        if (y <= SQRT32) {
            double xnum = CODY_C[8] * y;
            double xden = y;
            for (int i = 0; i < 7; i++) {
                xnum = (xnum + CODY_C[i]) * y;
                xden = (xden + CODY_D[i]) * y;
            }
            tail = splitExp(y) * (xnum + CODY_C[7]) / (xden + CODY_D[7]);
        } else if (y < 38.5) {
            double xsq = 1 / (x * x);
            double xnum = CODY_P[5] * xsq;
            double xden = xsq;
            for (int i = 0; i < 4; i++) {
                xnum = (xnum + CODY_P[i]) * xsq;
                xden = (xden + CODY_Q[i]) * xsq;
            }
            double r = xsq * (xnum + CODY_P[4]) / (xden + CODY_Q[4]);
            tail = splitExp(y) * (INV_SQRT_2PI - r) / y;
        } else {
            tail = 0.0; // below the smallest double
        }
        return x > 0 ? tail : 1.0 - tail;
    }

    /** exp(−y²/2) without the rounding error of y²: y₀ = y truncated to 1/16, then two factors. */
    private static double splitExp(double y) {
        double y0 = Math.floor(y * 16) / 16;
        double del = (y - y0) * (y + y0);
        return Math.exp(-y0 * y0 * 0.5) * Math.exp(-del * 0.5);
    }

    private static final double SQRT32 = Math.sqrt(32.0);
    private static final double INV_SQRT_2PI = 0.398942280401432677939946059934;
    // Coefficients of Cody (1993), Algorithm 715, ANORM; the same as R's nmath/pnorm.c.
    private static final double[] CODY_A = {
        2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
        0.065682337918207449113
    };
    private static final double[] CODY_B = {
        47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956
    };
    private static final double[] CODY_C = {
        0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
        2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
        1.0765576773720192317e-8
    };
    private static final double[] CODY_D = {
        22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
        18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727
    };
    private static final double[] CODY_P = {
        0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466,
        2.9112874951168792e-5, 0.02307344176494017303
    };
    private static final double[] CODY_Q = {
        1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
        7.29751555083966205e-5
    };

    /**
     * Standard normal quantile Φ⁻¹(p) for p in (0, 1); ±∞ at 0 and 1. Acklam's rational
     * approximation (relative error 1.15e-9) refined by one Halley step on erfc, which brings it to
     * double precision in both tails (commons-math3's erfcInv loses the far tail: it computes
     * erfInv(1 − x), and 1 − 2e-300 rounds to 1).
     */
    public static double normalQuantile(double p) {
        if (p <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        double x;
        if (p < P_LOW) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        } else if (p <= 1 - P_LOW) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
                    / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log1p(-p));
            x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        // Halley step: e = Φ(x) − p computed on the accurate side of the distribution.
        double e = x < 0 ? normalCdf(x) - p : (1 - p) - normalSf(x);
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
        return x - u / (1 + 0.5 * x * u);
    }

    private static final double P_LOW = 0.02425;
    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};

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
     * Quantile of Student's t: Newton's method on the distribution function, started from the
     * Cornish–Fisher expansion in 1/df (Abramowitz &amp; Stegun 26.7.5), which is already accurate to
     * ~1e-8 for the df of A/B tests (hundreds and more), so one or two steps reach full precision.
     * Steps that leave the bracket fall back to bisection.
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
        double z = normalQuantile(p);
        if (df > 1e7) {
            return z;
        }
        double upperTail = 1 - p;
        double t = cornishFisher(z, df);
        if (!(t > 0) || !Double.isFinite(t)) {
            t = z;
        }
        double logC = Gamma.logGamma(0.5 * (df + 1)) - Gamma.logGamma(0.5 * df) - 0.5 * Math.log(df * Math.PI);
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 200; i++) {
            double f = studentSf(t, df) - upperTail; // decreasing in t
            if (f == 0) {
                return t;
            }
            if (f > 0) {
                lo = t;
            } else {
                hi = t;
            }
            double pdf = Math.exp(logC - 0.5 * (df + 1) * Math.log1p(t * t / df));
            double next = t + f / pdf;
            if (!(next > lo && next < hi)) {
                next = Double.isInfinite(hi) ? 2 * Math.max(t, 1) : 0.5 * (lo + hi);
            }
            if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) {
                return next;
            }
            t = next;
        }
        return t;
    }

    /** A&amp;S 26.7.5: t ≈ z + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴. */
    private static double cornishFisher(double z, double v) {
        double z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v;
    }

    /** Upper tail of the chi-square distribution with {@code df} degrees of freedom. */
    public static double chiSquareSf(double x, double df) {
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(0.5 * df, 0.5 * x);
    }
}
