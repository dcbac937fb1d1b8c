package io.liftstream.experiments.stats.sequential;

import io.liftstream.experiments.stats.Distributions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Group sequential efficacy boundaries from the Lan–DeMets (1983) O'Brien–Fleming-type alpha
 * spending function, for the information of the looks actually taken, any number and spacing of
 * them (5 planned looks or a look per hourly result over 28 days).
 *
 * <p>Spending function per side (Lan &amp; DeMets 1983, Biometrika 70, eq. for α₁*(t); as gsDesign's
 * {@code sfLDOF}): f(t) = 2 − 2Φ(Φ⁻¹(1 − α_s/2)/√t), f(t ≥ 1) = α_s, where α_s = α/2 per side for a
 * two-sided test of level α and α_s = α for a one-sided test. At look k the boundary c_k solves
 * P(Z_k ≥ c_k, no earlier crossing) = f(t_k) − f(t_{k−1}) under the null (per side; two-sided
 * boundaries are symmetric, ±c_k).
 *
 * <p><b>Information beyond the plan.</b> t_k = n_k / max_n is the actual information and may exceed
 * 1: the correlations corr(Z_j, Z_k) = √(t_j/t_k) use it uncapped (capping it at 1 understates the
 * new information of a late look and is anti-conservative). The first look with t ≥ 1 is the final
 * analysis and spends all that remains of α_s; every later look spends nothing (c = +∞): the test
 * is over.
 *
 * <p><b>Recursion.</b> Armitage, McPherson &amp; Rowe (1969) in the form of Jennison &amp; Turnbull
 * (2000), "Group Sequential Methods with Applications to Clinical Trials", ch. 19, on the score
 * scale S_k = Z_k√t_k, which has independent N(0, Δ_k) increments, Δ_k = t_k − t_{k−1}. The
 * sub-density of S_k on the continuation region C_k (paths not stopped yet) is
 * <pre>  g_k(s) = ∫_{C_{k−1}} g_{k−1}(u) φ((s − u)/σ_k)/σ_k du,   σ_k = √Δ_k        (J&amp;T eq. 19.3)</pre>
 * and the per-side crossing probability at look k is ∫ g_{k−1}(u) Φ̄((c_k√t_k − u)/σ_k) du (J&amp;T
 * eq. 19.4), inverted for c_k by safeguarded Newton steps. The integrals use Simpson's rule on a
 * uniform grid spanning C_{k−1} exactly (its ends are grid points) whose spacing is scaled to the
 * increments: at most σ_{k−1}/{@value #POINTS_PER_SD} (g_{k−1} varies on the scale of its own
 * increment) and at least {@value #MIN_INTERVALS} intervals; if the next increment is smaller, g is
 * first interpolated (cubic) onto a grid fine enough for it. Small increments need this scaling:
 * J&amp;T's fixed grid (section 19.2.1, used here before) has a spacing of about 0.04 on the Z
 * scale, wider than the increment's √(Δ/t) ≈ 0.02 at the last of 2,000 equal looks, where Simpson's
 * rule then fails (the boundary at 800 looks came out at −10). Regions with an infinite boundary are
 * truncated at ±{@value #TAIL} standard deviations (mass below 1e-17 per look).
 *
 * <p><b>Cost.</b> A look costs about m·17·{@value #POINTS_PER_SD} multiply-adds for the density and a
 * few dozen tail evaluations per Newton step, for m ≈ 2c√(t/Δ)·{@value #POINTS_PER_SD} grid points
 * (800 at 2,000 equal looks; 0.1 to 0.3 ms). Computed boundaries are cached as chains: asking
 * for the boundaries of a prefix of a known sequence is a lookup, and a sequence that extends a
 * known one (the streaming case: one more look per result) costs one step per new look.
 */
public final class LanDeMetsBoundaries {
    /** Grid points per standard deviation of the increment (of the density's own and of the next). */
    static final int POINTS_PER_SD = 4;
    /** The next increment may be this much finer than the grid before the grid is interpolated. */
    private static final double MIN_POINTS_PER_SD = 3;
    /** Fewest grid intervals on a continuation region (J&amp;T use about 240 points with r = 20). */
    static final int MIN_INTERVALS = 120;
    /** Continuation regions without a finite boundary are truncated at this many standard deviations. */
    static final double TAIL = 8.5;
    /** Normal kernels are cut beyond this many standard deviations (relative weight 2e-16). */
    private static final double KERNEL_SDS = 8.5;
    /** Spending below this is treated as none: the boundary is +∞. */
    private static final double NO_SPEND = 1e-15;
    /** Cached chains (most recently used last); each holds its looks and two densities. */
    private static final int CHAINS = 128;

    private static final List<Chain> CHAIN_CACHE = new ArrayList<>();

    private LanDeMetsBoundaries() {}

    /** OBF-type spent alpha per side at information fraction t (all of it from t = 1 on). */
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
     * (n_k / max_n; strictly increasing, positive, and past 1 when the plan is overrun). The first
     * look at t ≥ 1 spends what remains; a look that spends nothing (before any alpha is spendable,
     * or after that final analysis) gets +∞.
     *
     * @param twoSided reject when |Z_k| ≥ c_k (level α split evenly over the sides); otherwise when
     *     Z_k ≥ c_k (level α on one side)
     */
    public static double[] boundaries(double[] fractions, double alpha, boolean twoSided) {
        validate(fractions, alpha);
        if (fractions.length == 0) {
            return new double[0];
        }
        synchronized (CHAIN_CACHE) {
            return chainFor(fractions, alpha, twoSided).boundaries(fractions.length);
        }
    }

    /** The boundary of the last look only, c_K of {@link #boundaries} (without copying the others). */
    public static double lastBoundary(double[] fractions, double alpha, boolean twoSided) {
        validate(fractions, alpha);
        if (fractions.length == 0) {
            throw new IllegalArgumentException("no look");
        }
        synchronized (CHAIN_CACHE) {
            return chainFor(fractions, alpha, twoSided).c[fractions.length - 1];
        }
    }

    private static void validate(double[] fractions, double alpha) {
        for (int i = 0; i < fractions.length; i++) {
            if (!(fractions[i] > 0) || !Double.isFinite(fractions[i])) {
                throw new IllegalArgumentException("information fractions must be positive");
            }
            if (i > 0 && fractions[i] <= fractions[i - 1]) {
                throw new IllegalArgumentException("looks must increase");
            }
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1)");
        }
    }

    /** A cached chain answering {@code fractions}: a longer one, an extended one, a branch, or new. */
    private static Chain chainFor(double[] fractions, double alpha, boolean twoSided) {
        Chain extend = null;
        int extendFrom = -1;
        Chain branch = null;
        for (int i = CHAIN_CACHE.size() - 1; i >= 0; i--) {
            Chain chain = CHAIN_CACHE.get(i);
            if (chain.alpha != alpha || chain.twoSided != twoSided) {
                continue;
            }
            int common = chain.commonPrefix(fractions);
            if (common == fractions.length) {
                touch(i);
                return chain;
            }
            if (common == chain.size && common > extendFrom) {
                extend = chain;
                extendFrom = common;
            } else if (common == chain.size - 1 && common > extendFrom && chain.beforeTail != null) {
                branch = chain;
                extendFrom = common;
                extend = null;
            }
        }
        Chain chain;
        if (extend != null) {
            chain = extend;
            CHAIN_CACHE.remove(chain);
        } else if (branch != null) {
            chain = branch.withoutLastLook();
        } else {
            chain = new Chain(alpha, twoSided);
        }
        for (int k = chain.size; k < fractions.length; k++) {
            chain.add(fractions[k]);
        }
        CHAIN_CACHE.add(chain);
        if (CHAIN_CACHE.size() > CHAINS) {
            CHAIN_CACHE.remove(0);
        }
        return chain;
    }

    private static void touch(int index) {
        CHAIN_CACHE.add(CHAIN_CACHE.remove(index));
    }

    /** Looks t_1..t_size, their boundaries, and the recursion state after the last two looks. */
    private static final class Chain {
        final double alpha;
        final boolean twoSided;
        final double alphaPerSide;
        double[] t = new double[8];
        double[] c = new double[8];
        int size;
        State tail;
        State beforeTail;

        Chain(double alpha, boolean twoSided) {
            this.alpha = alpha;
            this.twoSided = twoSided;
            this.alphaPerSide = twoSided ? alpha / 2 : alpha;
        }

        int commonPrefix(double[] fractions) {
            int n = Math.min(size, fractions.length);
            int i = Arrays.mismatch(t, 0, n, fractions, 0, n);
            return i < 0 ? n : i;
        }

        double[] boundaries(int looks) {
            return Arrays.copyOf(c, looks);
        }

        Chain withoutLastLook() {
            Chain copy = new Chain(alpha, twoSided);
            copy.t = Arrays.copyOf(t, Math.max(8, size));
            copy.c = Arrays.copyOf(c, Math.max(8, size));
            copy.size = size - 1;
            copy.tail = beforeTail;
            return copy;
        }

        void add(double fraction) {
            if (size == t.length) {
                t = Arrays.copyOf(t, 2 * size);
                c = Arrays.copyOf(c, 2 * size);
            }
            Step step = step(tail, fraction, alphaPerSide, twoSided);
            t[size] = fraction;
            c[size] = step.boundary;
            size++;
            beforeTail = tail;
            tail = step.next;
        }
    }

    /**
     * After a look: its information t, the alpha spent per side so far, whether the test is over
     * (the final analysis at t ≥ 1 is behind, or no path continues), and the sub-density of S on the
     * continuation region.
     */
    private record State(double t, double spent, boolean over, Density density) {}

    private record Step(double boundary, State next) {}

    /**
     * Sub-density values f at the points lo + i·h, i = 0..m (m even), and their Simpson-weighted
     * values ρ_i = w_i f_i.
     */
    private record Density(double lo, double h, double[] f, double[] rho) {
        static Density of(double lo, double h, double[] f) {
            int m = f.length - 1;
            double[] rho = new double[f.length];
            for (int i = 0; i <= m; i++) {
                double w = i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2);
                rho[i] = w * h / 3 * f[i];
            }
            return new Density(lo, h, f, rho);
        }

        int intervals() {
            return f.length - 1;
        }

        double point(int i) {
            return lo + i * h;
        }

        /** The same density on a grid at least {@code pointsPerSd} points per {@code sd}: cubic interpolation. */
        Density refinedFor(double sd) {
            if (h <= sd / MIN_POINTS_PER_SD) {
                return this;
            }
            double width = h * intervals();
            int m = evenIntervals(width, sd);
            double hNew = width / m;
            double[] g = new double[m + 1];
            int n = intervals();
            for (int j = 0; j <= m; j++) {
                double x = (j * hNew) / h;
                int i0 = Math.min(Math.max((int) Math.floor(x) - 1, 0), n - 3);
                double u = x - i0; // in [0, 3]: position among the points i0..i0+3
                double f0 = f[i0];
                double f1 = f[i0 + 1];
                double f2 = f[i0 + 2];
                double f3 = f[i0 + 3];
                g[j] = -f0 * (u - 1) * (u - 2) * (u - 3) / 6 + f1 * u * (u - 2) * (u - 3) / 2
                        - f2 * u * (u - 1) * (u - 3) / 2 + f3 * u * (u - 1) * (u - 2) / 6;
            }
            g[0] = f[0];
            g[m] = f[n];
            return of(lo, hNew, g);
        }
    }

    /**
     * An even number of intervals on {@code width}, at least MIN_INTERVALS and POINTS_PER_SD per
     * {@code sd}, at most 2^20 (16 MB per density): increments below about 1e-10 of the planned
     * information (a look after one more user with max_n above 10^10) are not resolved.
     */
    private static int evenIntervals(double width, double sd) {
        double needed = Math.ceil(width / sd * POINTS_PER_SD);
        int m = (int) Math.max(MIN_INTERVALS, Math.min(needed, 1 << 20));
        return m % 2 == 0 ? m : m + 1;
    }

    private static Step step(State prev, double t, double alphaPerSide, boolean twoSided) {
        if (prev != null && prev.over()) {
            return new Step(Double.POSITIVE_INFINITY, new State(t, prev.spent(), true, null));
        }
        double prevT = prev == null ? 0 : prev.t();
        double prevSpent = prev == null ? 0 : prev.spent();
        double spentNow = spent(t, alphaPerSide);
        double increment = spentNow - prevSpent;
        double sigma = Math.sqrt(t - prevT);
        double sqrtT = Math.sqrt(t);
        double c;
        Density before = prev == null ? null : prev.density().refinedFor(sigma);
        if (increment <= NO_SPEND) {
            c = Double.POSITIVE_INFINITY;
        } else if (before == null) {
            c = Distributions.normalQuantile(1 - increment); // P(Z_1 ≥ c) = f(t_1)
        } else {
            c = solveBoundary(before, sigma, increment) / sqrtT;
        }
        boolean finalAnalysis = t >= 1;
        double hi = Math.min(c, TAIL) * sqrtT;
        double lo = twoSided ? -hi : -TAIL * sqrtT;
        if (finalAnalysis || !(hi - lo > 1e-12 * sqrtT)) {
            return new Step(c, new State(t, spentNow, true, null));
        }
        int m = evenIntervals(hi - lo, sigma);
        double h = (hi - lo) / m;
        double[] f = new double[m + 1];
        if (before == null) {
            for (int j = 0; j <= m; j++) {
                f[j] = Distributions.normalPdf((lo + j * h) / sigma) / sigma;
            }
        } else {
            convolve(before, sigma, lo, h, f);
        }
        return new Step(c, new State(t, spentNow, false, Density.of(lo, h, f)));
    }

    /**
     * f_j = Σ_i ρ_i φ((x_j − s_i)/σ)/σ at x_j = lo + j·h (J&amp;T eq. 19.3 by Simpson's rule). Along
     * i the kernel e^{−u²/2σ²} with u = x_j − s_i falling by the grid spacing is a Gaussian recurrence
     * (each term the previous times a ratio that itself shrinks by e^{−h²/σ²}), so a point costs two
     * exponentials and two multiplications per term.
     */
    private static void convolve(Density d, double sigma, double lo, double h, double[] f) {
        double reach = KERNEL_SDS * sigma;
        double norm = 1 / (sigma * Math.sqrt(2 * Math.PI));
        double c = 0.5 / (sigma * sigma);
        double step = d.h();
        double shrink = Math.exp(-2 * step * step * c);
        int n = d.intervals();
        double[] rho = d.rho();
        for (int j = 0; j < f.length; j++) {
            double x = lo + j * h;
            int from = Math.max(0, (int) Math.ceil((x - reach - d.lo()) / step));
            int to = Math.min(n, (int) Math.floor((x + reach - d.lo()) / step));
            if (from > to) {
                f[j] = 0;
                continue;
            }
            double u = x - d.point(from);
            double kernel = Math.exp(-u * u * c);
            double ratio = Math.exp((2 * u * step - step * step) * c);
            double sum = 0;
            for (int i = from; i <= to; i++) {
                sum += rho[i] * kernel;
                kernel *= ratio;
                ratio *= shrink;
            }
            f[j] = sum * norm;
        }
    }

    /** Upper crossing probability at the score-scale boundary b: Σ ρ_i Φ̄((b − s_i)/σ) (J&amp;T eq. 19.4). */
    private static double crossing(Density d, double sigma, double b) {
        double sum = 0;
        double[] rho = d.rho();
        for (int i = 0; i < rho.length; i++) {
            double x = (b - d.point(i)) / sigma;
            // Beyond ±9 the tail is below 1.2e-19 of the mass: skip the (costly) tail function.
            if (x < -9) {
                sum += rho[i];
            } else if (x < 9) {
                sum += rho[i] * Distributions.normalSf(x);
            }
        }
        return sum;
    }

    /** d/db of {@link #crossing}: −Σ ρ_i φ((b − s_i)/σ)/σ. */
    private static double crossingSlope(Density d, double sigma, double b) {
        double sum = 0;
        double[] rho = d.rho();
        for (int i = 0; i < rho.length; i++) {
            double x = (b - d.point(i)) / sigma;
            if (x > -9 && x < 9) {
                sum += rho[i] * Distributions.normalPdf(x);
            }
        }
        return -sum / sigma;
    }

    /**
     * Solves crossing(b) = target on the score scale: Newton's method on ln crossing(b) (nearly
     * quadratic in b in these tails), kept inside a bisection bracket, to 1e-12. Never below 0: if
     * even b = 0 cannot spend that much, every path still running is rejected at 0.
     */
    private static double solveBoundary(Density d, double sigma, double target) {
        double lo = 0;
        double hi = d.point(d.intervals()) + 40 * sigma;
        if (crossing(d, sigma, lo) <= target) {
            return lo;
        }
        double top = d.point(d.intervals());
        double b = Math.min(hi, Math.max(lo, top + sigma * Distributions.normalQuantile(1 - Math.min(0.5, target))));
        for (int i = 0; i < 200; i++) {
            double f = crossing(d, sigma, b);
            if (f > target) {
                lo = b;
            } else {
                hi = b;
            }
            double slope = crossingSlope(d, sigma, b);
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
}
