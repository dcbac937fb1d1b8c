package io.liftstream.experiments.stats.sequential;

import io.liftstream.experiments.stats.Distributions;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Group sequential efficacy boundaries from the Lan–DeMets (1983) O'Brien–Fleming-type alpha
 * spending function, for the information fractions of the looks actually taken.
 *
 * <p>Spending function per side (Lan &amp; DeMets 1983, Biometrika 70, eq. for α₁*(t); as gsDesign's
 * {@code sfLDOF}): f(t) = 2 − 2Φ(Φ⁻¹(1 − α_s/2)/√t), f(t ≥ 1) = α_s, where α_s = α/2 per side for a
 * two-sided test of level α and α_s = α for a one-sided test. At look k the boundary c_k solves
 * P(Z_k ≥ c_k, no earlier crossing) = f(t_k) − f(t_{k−1}) under the null (per side; two-sided
 * boundaries are symmetric, ±c_k).
 *
 * <p>The crossing probabilities are computed by the recursive numerical integration of Armitage,
 * McPherson and Rowe (1969), in the form of Jennison &amp; Turnbull (2000), "Group Sequential Methods
 * with Applications to Clinical Trials", chapter 19: Z_k = S_k/√I_k has independent increments, so
 * the sub-density of Z_k on the continuation region is
 * <pre>  g_k(z) = ∫ g_{k−1}(u) √(I_k/Δ_k) φ((z√I_k − u√I_{k−1})/√Δ_k) du,  Δ_k = I_k − I_{k−1}</pre>
 * (J&amp;T eq. 19.3), integrated by Simpson's rule on their grid of 6r − 1 points (r = 32, section
 * 19.2.1), truncated to the continuation region and refined with midpoints. Information is
 * proportional to sample size, I_k = t_k = n_k / max_n.
 *
 * <p>Boundaries for the same (α, sides, fractions) are cached: a streaming job asks for the same
 * looks over and over.
 */
public final class LanDeMetsBoundaries {
    /** J&amp;T's grid parameter r; they report r = 16 accurate to about 1e-6 and r = 32 better still. */
    private static final int R = 32;
    /** Spending below this is treated as none: the boundary is +∞. */
    private static final double NO_SPEND = 1e-15;
    private static final int CACHE_SIZE = 512;

    private static final Map<Key, double[]> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, double[]> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private LanDeMetsBoundaries() {}

    /** OBF-type spent alpha per side at information fraction t. */
    public static double spent(double t, double alphaPerSide) {
        if (t >= 1) {
            return alphaPerSide;
        }
        if (t <= 0) {
            return 0.0;
        }
        double z = Distributions.normalQuantile(1 - alphaPerSide / 2);
        return 2 * Distributions.normalSf(z / Math.sqrt(t));
    }

    /**
     * Boundaries c_1..c_K on the Z scale for looks at information fractions {@code fractions}
     * (strictly increasing, positive; values above 1 are treated as 1, the final analysis). A look
     * that spends nothing (e.g. a second look at t = 1) gets +∞.
     *
     * @param twoSided reject when |Z_k| ≥ c_k (level α split evenly over the sides); otherwise when
     *     Z_k ≥ c_k (level α on one side)
     */
    public static double[] boundaries(double[] fractions, double alpha, boolean twoSided) {
        Key key = new Key(fractions.clone(), alpha, twoSided);
        synchronized (CACHE) {
            double[] cached = CACHE.get(key);
            if (cached != null) {
                return cached.clone();
            }
        }
        double[] computed = compute(fractions, alpha, twoSided);
        synchronized (CACHE) {
            CACHE.put(key, computed);
        }
        return computed.clone();
    }

    private static double[] compute(double[] fractions, double alpha, boolean twoSided) {
        int k = fractions.length;
        double alphaPerSide = twoSided ? alpha / 2 : alpha;
        double[] c = new double[k];
        double[] t = new double[k];
        for (int i = 0; i < k; i++) {
            if (!(fractions[i] > 0)) {
                throw new IllegalArgumentException("information fractions must be positive");
            }
            t[i] = Math.min(1.0, fractions[i]);
            if (i > 0 && fractions[i] <= fractions[i - 1]) {
                throw new IllegalArgumentException("looks must increase");
            }
        }
        // Grid values and Simpson-weighted densities h_i = w_i g(z_i) of Z at the previous look.
        double[] z = null;
        double[] h = null;
        double prevT = 0;
        double prevSpent = 0;
        for (int look = 0; look < k; look++) {
            double spentNow = spent(t[look], alphaPerSide);
            double increment = spentNow - prevSpent;
            if (look > 0 && t[look] <= prevT) {
                // Capped at t = 1 twice: nothing left to spend and nothing new observed.
                c[look] = Double.POSITIVE_INFINITY;
                continue;
            }
            if (look == 0) {
                c[0] = increment <= NO_SPEND ? Double.POSITIVE_INFINITY : Distributions.normalQuantile(1 - increment);
                double[][] grid = grid(twoSided ? -c[0] : Double.NEGATIVE_INFINITY, c[0]);
                z = grid[0];
                h = new double[z.length];
                for (int i = 0; i < z.length; i++) {
                    h[i] = grid[1][i] * Distributions.normalPdf(z[i]);
                }
            } else {
                double sqrtPrev = Math.sqrt(prevT);
                double sqrtNow = Math.sqrt(t[look]);
                double sqrtDelta = Math.sqrt(t[look] - prevT);
                c[look] = increment <= NO_SPEND ? Double.POSITIVE_INFINITY
                        : solveBoundary(z, h, sqrtPrev, sqrtNow, sqrtDelta, increment);
                double[][] grid = grid(twoSided ? -c[look] : Double.NEGATIVE_INFINITY, c[look]);
                double[] zNew = grid[0];
                double[] hNew = new double[zNew.length];
                double scale = sqrtNow / sqrtDelta;
                for (int j = 0; j < zNew.length; j++) {
                    double sum = 0;
                    double zs = zNew[j] * sqrtNow;
                    for (int i = 0; i < z.length; i++) {
                        double d = (zs - z[i] * sqrtPrev) / sqrtDelta;
                        sum += h[i] * Math.exp(-0.5 * d * d);
                    }
                    hNew[j] = grid[1][j] * sum * scale / Math.sqrt(2 * Math.PI);
                }
                z = zNew;
                h = hNew;
            }
            prevT = t[look];
            prevSpent = spentNow;
        }
        return c;
    }

    /** Upper crossing probability at boundary {@code b}: Σ h_i Φ̄((b√I_k − z_i√I_{k−1})/√Δ). */
    private static double crossing(double[] z, double[] h, double sqrtPrev, double sqrtNow, double sqrtDelta, double b) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            sum += h[i] * Distributions.normalSf((b * sqrtNow - z[i] * sqrtPrev) / sqrtDelta);
        }
        return sum;
    }

    private static double solveBoundary(double[] z, double[] h, double sqrtPrev, double sqrtNow, double sqrtDelta,
            double target) {
        double lo = -10;
        double hi = 40;
        if (crossing(z, h, sqrtPrev, sqrtNow, sqrtDelta, lo) < target) {
            return lo; // cannot spend that much: reject everything still running
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
            double mid = 0.5 * (lo + hi);
            if (crossing(z, h, sqrtPrev, sqrtNow, sqrtDelta, mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * J&amp;T section 19.2.1 grid for a N(0, ·) statistic restricted to (a, b): the 6r − 1 base points
     * (dense within ±3, logarithmically spaced tails to about ±(3 + 4 ln r)), clipped to the interval
     * with its finite ends added, then every gap halved so Simpson's rule applies. Returns
     * {points, Simpson weights}.
     */
    static double[][] grid(double a, double b) {
        int m = 6 * R - 1;
        double[] base = new double[m];
        for (int i = 1; i <= m; i++) {
            double x;
            if (i <= R - 1) {
                x = -3 - 4 * Math.log((double) R / i);
            } else if (i <= 5 * R) {
                x = -3 + 3.0 * (i - R) / (2 * R);
            } else {
                x = 3 + 4 * Math.log((double) R / (6 * R - i));
            }
            base[i - 1] = x;
        }
        double[] odd = new double[m + 2];
        int count = 0;
        if (Double.isFinite(a) && a > base[0]) {
            odd[count++] = a;
        }
        for (double x : base) {
            if (x > a && x < b) {
                odd[count++] = x;
            }
        }
        if (Double.isFinite(b) && b < base[m - 1]) {
            odd[count++] = b;
        }
        if (count < 2) {
            // A region narrower than the grid spacing: its two ends suffice.
            odd[0] = Math.max(a, base[0]);
            odd[1] = Math.min(b, base[m - 1]);
            count = 2;
        }
        int points = 2 * count - 1;
        double[] zs = new double[points];
        for (int i = 0; i < count; i++) {
            zs[2 * i] = odd[i];
            if (i + 1 < count) {
                zs[2 * i + 1] = 0.5 * (odd[i] + odd[i + 1]);
            }
        }
        double[] w = new double[points];
        for (int i = 0; i + 2 < points; i += 2) {
            double width = zs[i + 2] - zs[i];
            w[i] += width / 6;
            w[i + 1] += 4 * width / 6;
            w[i + 2] += width / 6;
        }
        return new double[][] {zs, w};
    }

    private record Key(double[] fractions, double alpha, boolean twoSided) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(fractions, other.fractions)
                    && alpha == other.alpha && twoSided == other.twoSided;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(fractions) + Double.hashCode(alpha)) + Boolean.hashCode(twoSided);
        }
    }
}
