package io.liftstream.experiments.stats.power;

import io.liftstream.experiments.stats.Distributions;

/**
 * Crossing probabilities of a group sequential test under a drift: the probability that the
 * z-statistics Z_1..Z_K of looks at information fractions t_1 &lt; … &lt; t_K cross their boundaries
 * for the first time at each look, when E[Z_k] = θ√t_k.
 *
 * <p>The recursion is that of Armitage, McPherson and Rowe (1969) as written by Jennison and
 * Turnbull (2000, "Group Sequential Methods with Applications to Clinical Trials", ch. 19): the
 * score S_k = Z_k√t_k has independent N(θΔ_k, Δ_k) increments, Δ_k = t_k − t_{k−1}, so the
 * sub-density of Z_k on the continuation region is (J&amp;T eq. 19.3, with the drift)
 * <pre>  g_k(z) = ∫ g_{k−1}(u) (√t_k/√Δ_k) φ((z√t_k − u√t_{k−1} − θΔ_k)/√Δ_k) du,</pre>
 * and the first crossing at look k has probability
 * <pre>  ∫ g_{k−1}(u) [Φ̄((c_k√t_k − u√t_{k−1} − θΔ_k)/√Δ_k) + Φ((−c_k√t_k − u√t_{k−1} − θΔ_k)/√Δ_k)] du</pre>
 * (the second term for two-sided boundaries only). Unlike J&amp;T's fixed grid, each g_k lives on a
 * uniform grid whose spacing is a sixth of the narrowest kernel that touches it (√(Δ_k/t_k) and
 * √(Δ_{k+1}/t_k) on the z_k scale) and at most 0.05, integrated by Simpson's rule, and each kernel
 * sum runs only over the grid points within 8.5 standard deviations: the grid is scaled to each
 * increment, so small increments stay accurate, and a step costs O(points × band), not
 * O(points²). Mass more than 8.5 standard deviations from the drift is dropped (below 1e-16).
 *
 * <p>This class computes power only; the boundaries come from
 * {@link io.liftstream.experiments.stats.sequential.LanDeMetsBoundaries}.
 */
public final class GroupSequentialPower {
    private static final double TRUNCATE = 8.5;
    private static final double BAND = 8.5;
    private static final int MAX_POINTS = 200_001;

    private GroupSequentialPower() {}

    /**
     * Probability of stopping (crossing a boundary) first at each look.
     *
     * @param t information fractions, strictly increasing, positive
     * @param c boundaries on the z scale, +∞ for a look that spends nothing
     * @param twoSided stop when |Z_k| ≥ c_k; otherwise when Z_k ≥ c_k
     * @param theta drift: E[Z_k] = θ√t_k
     */
    public static double[] crossings(double[] t, double[] c, boolean twoSided, double theta) {
        int k = t.length;
        if (c.length != k || k == 0) {
            throw new IllegalArgumentException("one boundary per look is needed");
        }
        for (int i = 0; i < k; i++) {
            if (!(t[i] > 0) || (i > 0 && !(t[i] > t[i - 1]))) {
                throw new IllegalArgumentException("information fractions must be positive and increase");
            }
        }
        double[] cross = new double[k];
        // Look 1: Z_1 ~ N(θ√t_1, 1).
        double mu = theta * Math.sqrt(t[0]);
        cross[0] = Distributions.normalSf(c[0] - mu) + (twoSided ? Distributions.normalCdf(-c[0] - mu) : 0);
        if (k == 1) {
            return cross;
        }
        double[] grid = grid(lower(c[0], twoSided, mu), upper(c[0], mu), spacing(t, 0));
        double[] g = new double[grid.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = Distributions.normalPdf(grid[i] - mu);
        }
        double[] h = simpson(grid, g);
        for (int look = 1; look < k; look++) {
            double sqrtPrev = Math.sqrt(t[look - 1]);
            double sqrtNow = Math.sqrt(t[look]);
            double delta = t[look] - t[look - 1];
            double sqrtDelta = Math.sqrt(delta);
            double shift = theta * delta;
            // First crossing at this look.
            double p = 0;
            for (int i = 0; i < grid.length; i++) {
                double base = grid[i] * sqrtPrev + shift;
                double up = Double.isInfinite(c[look]) ? 0 : Distributions.normalSf((c[look] * sqrtNow - base) / sqrtDelta);
                double down = twoSided && Double.isFinite(c[look])
                        ? Distributions.normalCdf((-c[look] * sqrtNow - base) / sqrtDelta) : 0;
                p += h[i] * (up + down);
            }
            cross[look] = p;
            if (look == k - 1) {
                break;
            }
            // Sub-density of Z_look on its continuation region.
            double muNow = theta * sqrtNow;
            double[] next = grid(lower(c[look], twoSided, muNow), upper(c[look], muNow), spacing(t, look));
            double[] gNext = new double[next.length];
            double scale = sqrtNow / sqrtDelta;
            double step = grid.length > 1 ? grid[1] - grid[0] : 1;
            for (int j = 0; j < next.length; j++) {
                // u with |z√t_k − u√t_{k−1} − θΔ| ≤ BAND·√Δ.
                double centre = (next[j] * sqrtNow - shift) / sqrtPrev;
                double half = BAND * sqrtDelta / sqrtPrev;
                int from = Math.max(0, (int) Math.floor((centre - half - grid[0]) / step));
                int to = Math.min(grid.length - 1, (int) Math.ceil((centre + half - grid[0]) / step));
                double sum = 0;
                for (int i = from; i <= to; i++) {
                    double d = (next[j] * sqrtNow - grid[i] * sqrtPrev - shift) / sqrtDelta;
                    sum += h[i] * Distributions.normalPdf(d);
                }
                gNext[j] = sum * scale;
            }
            grid = next;
            h = simpson(grid, gNext);
        }
        return cross;
    }

    /** Total probability of crossing at some look: the power under θ ≠ 0, the level under θ = 0. */
    public static double power(double[] t, double[] c, boolean twoSided, double theta) {
        double sum = 0;
        for (double p : crossings(t, c, twoSided, theta)) {
            sum += p;
        }
        return Math.min(1.0, sum);
    }

    /** The drift θ ≥ 0 at which {@link #power} reaches {@code target}, to 1e-9. */
    public static double driftForPower(double[] t, double[] c, boolean twoSided, double target) {
        double lo = 0;
        double flo = power(t, c, twoSided, 0) - target;
        if (flo >= 0) {
            return 0;
        }
        double hi = 1;
        double fhi;
        while ((fhi = power(t, c, twoSided, hi) - target) < 0) {
            lo = hi;
            flo = fhi;
            hi *= 2;
            if (hi > 1e3) {
                throw new IllegalArgumentException("power " + target + " cannot be reached with these boundaries");
            }
        }
        return Roots.increasing(theta -> power(t, c, twoSided, theta) - target, lo, flo, hi, fhi, 1e-9);
    }

    private static double lower(double c, boolean twoSided, double mu) {
        return twoSided ? Math.max(-c, mu - TRUNCATE) : mu - TRUNCATE;
    }

    private static double upper(double c, double mu) {
        return Math.min(c, mu + TRUNCATE);
    }

    /** A sixth of the narrower kernel touching look {@code k}'s density, at most 0.05. */
    private static double spacing(double[] t, int k) {
        double in = k == 0 ? 1 : Math.sqrt((t[k] - t[k - 1]) / t[k]);
        double out = k + 1 < t.length ? Math.sqrt((t[k + 1] - t[k]) / t[k]) : in;
        return Math.min(0.05, Math.min(in, out) / 6);
    }

    /** Uniform grid on [a, b] with an even number of intervals no wider than {@code h}. */
    private static double[] grid(double a, double b, double h) {
        if (!(b > a)) {
            return new double[] {a};
        }
        int intervals = (int) Math.ceil((b - a) / h);
        intervals += intervals % 2;
        intervals = Math.min(intervals, MAX_POINTS - 1);
        double[] z = new double[intervals + 1];
        for (int i = 0; i <= intervals; i++) {
            z[i] = a + (b - a) * i / intervals;
        }
        return z;
    }

    /** Simpson weights times the density: h_i = w_i g(z_i). */
    private static double[] simpson(double[] z, double[] g) {
        double[] h = new double[z.length];
        if (z.length < 3) {
            return h; // an empty continuation region carries no mass
        }
        double width = z[1] - z[0];
        for (int i = 0; i < z.length; i++) {
            double w = (i == 0 || i == z.length - 1) ? 1 : (i % 2 == 1 ? 4 : 2);
            h[i] = g[i] * w * width / 3;
        }
        return h;
    }
}
