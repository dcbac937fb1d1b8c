package io.liftstream.experiments.bandit;

/**
 * The Lai–Robbins lower bound on the regret of any consistent policy for Bernoulli arms (Lai and
 * Robbins, "Asymptotically efficient adaptive allocation rules", Advances in Applied Mathematics 6,
 * 1985, Theorem 2):
 * <pre>  liminf R(T) / ln T ≥ Σ_{i: μᵢ &lt; μ*} (μ* − μᵢ) / KL(μᵢ, μ*)</pre>
 * with the Bernoulli Kullback–Leibler divergence KL(p, q) = p ln(p/q) + (1 − p) ln((1 − p)/(1 − q)).
 * Thompson sampling attains it asymptotically (Kaufmann, Korda and Munos, ALT 2012).
 */
public final class LaiRobbins {
    private LaiRobbins() {}

    /** KL(Bernoulli(p) ‖ Bernoulli(q)), with 0·ln 0 = 0. */
    public static double bernoulliKl(double p, double q) {
        return term(p, q) + term(1 - p, 1 - q);
    }

    private static double term(double a, double b) {
        return a == 0 ? 0 : a * Math.log(a / b);
    }

    /** The constant Σ (μ* − μᵢ)/KL(μᵢ, μ*) over suboptimal arms. */
    public static double constant(double[] rates) {
        double best = Double.NEGATIVE_INFINITY;
        for (double r : rates) {
            best = Math.max(best, r);
        }
        double c = 0;
        for (double r : rates) {
            if (r < best) {
                c += (best - r) / bernoulliKl(r, best);
            }
        }
        return c;
    }

    /** The bound at horizon T: constant × ln T. */
    public static double bound(double[] rates, long horizon) {
        return constant(rates) * Math.log(horizon);
    }
}
