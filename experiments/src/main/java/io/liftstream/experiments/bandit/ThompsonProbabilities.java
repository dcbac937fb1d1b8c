package io.liftstream.experiments.bandit;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The Thompson probabilities q_i = P(arm i has the largest posterior draw), the probability with which
 * Thompson sampling plays arm i, and the runner-up probabilities r_{j|I} = P(arm j has the largest draw
 * among the arms other than I), which top-two sampling needs. Both by numerical integration of the arms'
 * marginal posterior distribution functions F_i (independent arms):
 * <pre>  q_j = ∫ Π_{i≠j} F_i(x) dF_j(x)        r_{j|I} = ∫ Π_{i≠j,I} F_i(x) dF_j(x)</pre>
 * (q are the randomized probability matching weights of Scott, "A modern Bayesian look at the
 * multi-armed bandit", Applied Stochastic Models in Business and Industry 26, 2010, there computed by
 * Monte Carlo).
 *
 * <p>Quadrature: every arm contributes nodes x = location + spread · sinh(s) for s on a grid of step
 * {@value #STEP} in [−{@value #REACH}, {@value #REACH}] (spacing 0.025 spreads at the centre, growing
 * geometrically to 80,000 spreads, so the heavy tails of a Student-t with few degrees of freedom are
 * covered), clipped to the support. On the merged, sorted nodes the Stieltjes integral ∫ P dF_j is the
 * trapezoid rule Σ ½(P(a) + P(b))·(F_j(b) − F_j(a)): it uses each arm's exact mass per interval, so
 * neither a peaked Beta(5000, 50000) nor a Cauchy-like tail is lost, and a narrow arm inside a wide one
 * is resolved by its own nodes. Mass beyond the outermost nodes is counted with the mid-value of P there.
 * Each set of probabilities is normalised to sum to 1. Against the closed form for two Beta arms the
 * absolute error is below 2·10⁻⁵ and the smaller probability's relative error below 1%, down to
 * q ≈ 7·10⁻⁴ ({@code ThompsonProbabilitiesTest}). Cost: one distribution-function evaluation per arm
 * and node where it is strictly between 0 and 1 (a few thousand per arm), once per posterior snapshot.
 */
public final class ThompsonProbabilities {
    /** Step of the sinh grid, in its argument s. */
    public static final double STEP = 0.025;
    /** Half-width of the sinh grid in s: sinh(12) ≈ 81,000 spreads. */
    public static final double REACH = 12;

    private final double[] q;
    private final double[][] runnerUp;

    private ThompsonProbabilities(double[] q, double[][] runnerUp) {
        this.q = q;
        this.runnerUp = runnerUp;
    }

    /** q_arm. */
    public double q(int arm) {
        return q[arm];
    }

    /** r_{arm|excluded}: P(arm's draw is the largest among all arms but {@code excluded}); 0 for arm = excluded. */
    public double runnerUp(int excluded, int arm) {
        return runnerUp[excluded][arm];
    }

    /** Every arm's q_i; they sum to 1. */
    public static double[] compute(ArmPosteriors posteriors) {
        return of(posteriors).q.clone();
    }

    public static ThompsonProbabilities of(ArmPosteriors posteriors) {
        int k = posteriors.arms();
        if (k == 1) {
            return new ThompsonProbabilities(new double[] {1}, new double[1][1]);
        }
        double[] x = nodes(posteriors);
        int m = x.length;
        double[][] f = new double[k][m];
        for (int i = 0; i < k; i++) {
            fill(posteriors, i, x, f[i]);
        }
        double[] q = winShares(f, -1);
        double[][] runnerUp = new double[k][];
        for (int excluded = 0; excluded < k; excluded++) {
            runnerUp[excluded] = winShares(f, excluded);
        }
        return new ThompsonProbabilities(q, runnerUp);
    }

    /**
     * For every arm j ≠ excluded, ∫ Π_{i≠j, i≠excluded} F_i dF_j, normalised to sum to 1 (excluded = −1:
     * no arm excluded). The products of the other arms' F at each node come from prefix and suffix products.
     */
    private static double[] winShares(double[][] f, int excluded) {
        int k = f.length;
        int m = f[0].length;
        double[][] others = new double[k][m];
        double[] prefix = new double[k + 1];
        for (int n = 0; n < m; n++) {
            prefix[0] = 1;
            for (int i = 0; i < k; i++) {
                prefix[i + 1] = prefix[i] * (i == excluded ? 1 : f[i][n]);
            }
            double suffix = 1;
            for (int i = k - 1; i >= 0; i--) {
                others[i][n] = prefix[i] * suffix;
                suffix *= i == excluded ? 1 : f[i][n];
            }
        }
        double[] share = new double[k];
        double total = 0;
        for (int j = 0; j < k; j++) {
            if (j != excluded) {
                share[j] = Math.max(0, trapezoid(f[j], others[j]));
                total += share[j];
            }
        }
        for (int j = 0; j < k; j++) {
            if (j != excluded) {
                share[j] = total > 0 ? share[j] / total : 1.0 / (excluded < 0 ? k : k - 1);
            }
        }
        return share;
    }

    /** ∫ P dF by the trapezoid rule on the nodes, with the tails' mass beyond them at P's mid-value. */
    private static double trapezoid(double[] f, double[] p) {
        int m = f.length;
        double s = f[0] * 0.5 * p[0] + (1 - f[m - 1]) * 0.5 * (p[m - 1] + 1);
        for (int n = 0; n + 1 < m; n++) {
            s += 0.5 * (p[n] + p[n + 1]) * (f[n + 1] - f[n]);
        }
        return s;
    }

    /**
     * F_arm at every node. F is monotone, so binary searches find where it leaves 0 and reaches 1;
     * only the nodes in between are evaluated (the distribution function is the costly part).
     */
    private static void fill(ArmPosteriors posteriors, int arm, double[] x, double[] out) {
        int m = x.length;
        int lo = 0; // first node with F > 0
        int hi = m;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (posteriors.cdf(arm, x[mid]) > 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int first = lo;
        lo = first;
        hi = m; // first node with F >= 1
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (posteriors.cdf(arm, x[mid]) >= 1) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int ones = lo;
        for (int n = 0; n < m; n++) {
            out[n] = n < first ? 0 : (n >= ones ? 1 : clamp01(posteriors.cdf(arm, x[n])));
        }
    }

    /** The merged quadrature nodes, sorted and distinct, including finite support ends. */
    static double[] nodes(ArmPosteriors posteriors) {
        int k = posteriors.arms();
        int half = (int) Math.round(REACH / STEP);
        double lo = posteriors.supportMin();
        double hi = posteriors.supportMax();
        double[] x = new double[k * (2 * half + 1) + 2];
        int m = 0;
        if (Double.isFinite(lo)) {
            x[m++] = lo;
        }
        if (Double.isFinite(hi)) {
            x[m++] = hi;
        }
        for (int i = 0; i < k; i++) {
            double c = posteriors.location(i);
            double w = posteriors.spread(i);
            for (int g = -half; g <= half; g++) {
                double v = c + w * Math.sinh(g * STEP);
                if (v > lo && v < hi && Double.isFinite(v)) {
                    x[m++] = v;
                }
            }
        }
        double[] sorted = Arrays.copyOf(x, m);
        Arrays.sort(sorted);
        int d = 0;
        for (int n = 0; n < m; n++) {
            if (d == 0 || sorted[n] != sorted[d - 1]) {
                sorted[d++] = sorted[n];
            }
        }
        return Arrays.copyOf(sorted, d);
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    /**
     * A Monte Carlo estimate of the same q_i from {@code draws} joint posterior draws (win shares): the
     * cross-check for {@link #compute}, with standard error √(q(1 − q)/draws).
     */
    public static double[] monteCarlo(ArmPosteriors posteriors, int draws, long seed) {
        int k = posteriors.arms();
        SplittableRandom rng = new SplittableRandom(seed);
        long[] wins = new long[k];
        for (int m = 0; m < draws; m++) {
            wins[posteriors.sampleArgmax(rng)]++;
        }
        double[] q = new double[k];
        for (int i = 0; i < k; i++) {
            q[i] = (double) wins[i] / draws;
        }
        return q;
    }
}
