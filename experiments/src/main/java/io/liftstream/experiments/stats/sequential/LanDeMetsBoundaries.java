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
 * (J&amp;T eq. 19.3), integrated by Simpson's rule on their grid of 6r − 1 points (r = 20, section
 * 19.2.1), truncated to the continuation region and refined with midpoints. Information is
 * proportional to sample size, I_k = t_k = n_k / max_n.
 *
 * <p>Boundaries for the same (α, sides, fractions) are cached: a streaming job asks for the same
 * looks over and over.
 */
public final class LanDeMetsBoundaries {
    /** J&amp;T's grid parameter r; they find r = 16 accurate to about 1e-6 in the error probabilities. */
    private static final int R = 20;
    /** Spending below this is treated as none: the boundary is +∞. */
    private static final double NO_SPEND = 1e-15;
    private static final int CACHE_SIZE = 512;

    /** Recursion state after each prefix of looks, so one more look costs one integration step. */
    private static final Map<Key, State> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, State> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * After some looks: their boundaries, the last information fraction and spent alpha, and the
     * Simpson-weighted sub-density h_i = w_i g(z_i) of Z on the continuation region of the last
     * look. That density costs O(m²) and is only needed to add another look, so it is computed on
     * first use: answering "what is the boundary now" costs one root search.
     */
    private static final class State {
        final double[] c;
        final double t;
        final double spent;
        private final State previous;
        /** Whether the continuation region is −c &lt; Z &lt; c (two-sided) rather than Z &lt; c. */
        private final boolean twoSidedRegion;
        private double[] z;
        private double[] h;

        State(double[] c, double t, double spent, State previous, boolean twoSidedRegion, double[] z, double[] h) {
            this.c = c;
            this.t = t;
            this.spent = spent;
            this.previous = previous;
            this.twoSidedRegion = twoSidedRegion;
            this.z = z;
            this.h = h;
        }

        double[] c() { return c; }
        double t() { return t; }
        double spent() { return spent; }

        synchronized double[] z() {
            density();
            return z;
        }

        synchronized double[] h() {
            density();
            return h;
        }

        private void density() {
            if (z != null) {
                return;
            }
            int k = c.length - 1;
            double[] zPrev = previous.z();
            double[] hPrev = previous.h();
            double sqrtPrev = Math.sqrt(previous.t());
            double sqrtNow = Math.sqrt(t);
            double sqrtDelta = Math.sqrt(t - previous.t());
            double[][] grid = grid(twoSidedRegion ? -c[k] : Double.NEGATIVE_INFINITY, c[k]);
            double[] zNew = grid[0];
            double[] hNew = new double[zNew.length];
            double scale = sqrtNow / sqrtDelta / Math.sqrt(2 * Math.PI);
            for (int j = 0; j < zNew.length; j++) {
                double sum = 0;
                double zs = zNew[j] * sqrtNow;
                for (int i = 0; i < zPrev.length; i++) {
                    double d = (zs - zPrev[i] * sqrtPrev) / sqrtDelta;
                    sum += hPrev[i] * Math.exp(-0.5 * d * d);
                }
                hNew[j] = grid[1][j] * sum * scale;
            }
            z = zNew;
            h = hNew;
        }
    }

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
        for (int i = 0; i < fractions.length; i++) {
            if (!(fractions[i] > 0) || !Double.isFinite(fractions[i])) {
                throw new IllegalArgumentException("information fractions must be positive");
            }
            if (i > 0 && fractions[i] <= fractions[i - 1]) {
                throw new IllegalArgumentException("looks must increase");
            }
        }
        if (fractions.length == 0) {
            return new double[0];
        }
        return state(fractions, alpha, twoSided).c().clone();
    }

    private static State state(double[] fractions, double alpha, boolean twoSided) {
        // Longest cached prefix, then one step per remaining look (each step cached in turn).
        int have = fractions.length;
        State state = null;
        while (have > 0) {
            synchronized (CACHE) {
                state = CACHE.get(new Key(Arrays.copyOf(fractions, have), alpha, twoSided));
            }
            if (state != null) {
                break;
            }
            have--;
        }
        double alphaPerSide = twoSided ? alpha / 2 : alpha;
        for (int look = have; look < fractions.length; look++) {
            state = step(state, Math.min(1.0, fractions[look]), alphaPerSide, twoSided);
            synchronized (CACHE) {
                CACHE.put(new Key(Arrays.copyOf(fractions, look + 1), alpha, twoSided), state);
            }
        }
        return state;
    }

    private static State step(State prev, double t, double alphaPerSide, boolean twoSided) {
        int k = prev == null ? 0 : prev.c().length;
        double[] c = prev == null ? new double[1] : Arrays.copyOf(prev.c(), k + 1);
        double prevT = prev == null ? 0 : prev.t();
        double prevSpent = prev == null ? 0 : prev.spent();
        State next;
        if (prev != null && t <= prevT) {
            // Capped at t = 1 twice: nothing left to spend and nothing new observed.
            c[k] = Double.POSITIVE_INFINITY;
            next = new State(c, prevT, prevSpent, null, twoSided, prev.z(), prev.h());
        } else if (prev == null) {
            double increment = spent(t, alphaPerSide);
            c[0] = increment <= NO_SPEND ? Double.POSITIVE_INFINITY : Distributions.normalQuantile(1 - increment);
            double[][] grid = grid(twoSided ? -c[0] : Double.NEGATIVE_INFINITY, c[0]);
            double[] h = new double[grid[0].length];
            for (int i = 0; i < h.length; i++) {
                h[i] = grid[1][i] * Distributions.normalPdf(grid[0][i]);
            }
            next = new State(c, t, increment, null, twoSided, grid[0], h);
        } else {
            double spentNow = spent(t, alphaPerSide);
            double increment = spentNow - prevSpent;
            c[k] = increment <= NO_SPEND ? Double.POSITIVE_INFINITY
                    : solveBoundary(prev.z(), prev.h(), Math.sqrt(prevT), Math.sqrt(t), Math.sqrt(t - prevT), increment);
            next = new State(c, t, spentNow, prev, twoSided, null, null);
        }
        return next;
    }

    /** Upper crossing probability at boundary {@code b}: Σ h_i Φ̄((b√I_k − z_i√I_{k−1})/√Δ). */
    private static double crossing(double[] z, double[] h, double sqrtPrev, double sqrtNow, double sqrtDelta, double b) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            double x = (b * sqrtNow - z[i] * sqrtPrev) / sqrtDelta;
            // Beyond ±9 the tail is below 1.2e-19 of the mass: skip the (costly) erfc.
            if (x < -9) {
                sum += h[i];
            } else if (x < 9) {
                sum += h[i] * Distributions.normalSf(x);
            }
        }
        return sum;
    }

    /** d/db of {@link #crossing}: −Σ h_i φ(·) √I_k/√Δ. */
    private static double crossingSlope(double[] z, double[] h, double sqrtPrev, double sqrtNow, double sqrtDelta,
            double b) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            sum += h[i] * Distributions.normalPdf((b * sqrtNow - z[i] * sqrtPrev) / sqrtDelta);
        }
        return -sum * sqrtNow / sqrtDelta;
    }

    /**
     * Solves crossing(b) = target: Newton's method on log crossing(b) (nearly linear in b² for
     * these tails), kept inside a bisection bracket, to 1e-12.
     */
    private static double solveBoundary(double[] z, double[] h, double sqrtPrev, double sqrtNow, double sqrtDelta,
            double target) {
        double lo = -10;
        double hi = 40;
        if (crossing(z, h, sqrtPrev, sqrtNow, sqrtDelta, lo) < target) {
            return lo; // cannot spend that much: reject everything still running
        }
        double b = Math.max(0, Distributions.normalQuantile(1 - target));
        for (int i = 0; i < 200; i++) {
            double f = crossing(z, h, sqrtPrev, sqrtNow, sqrtDelta, b);
            if (f > target) {
                lo = b;
            } else {
                hi = b;
            }
            double slope = crossingSlope(z, h, sqrtPrev, sqrtNow, sqrtDelta, b);
            // Newton on ln f: b' = b − (ln f − ln target) · f / f'.
            double next = slope < 0 && f > 0 ? b - (Math.log(f) - Math.log(target)) * f / slope : Double.NaN;
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (Math.abs(next - b) < 1e-12 || hi - lo < 1e-12) {
                return next;
            }
            b = next;
        }
        return b;
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
