package io.liftstream.experiments.stats.power;

import java.util.function.DoubleUnaryOperator;

/**
 * Root of an increasing function on a bracket by the Illinois variant of regula falsi (Dowell and
 * Jarratt 1971, BIT 11, "A modified regula falsi method for computing the root of an equation"):
 * superlinear, and it keeps the bracket, so the answer is always on the side where f ≥ 0. Power
 * curves are smooth and monotone, so it needs about ten evaluations where bisection needs forty;
 * that matters for the group sequential design, whose power costs a recursion over all looks.
 */
final class Roots {
    private Roots() {}

    /**
     * The smallest x in [lo, hi] with f(x) ≥ 0, to {@code tol} in x, for an increasing f with
     * f(lo) &lt; 0 ≤ f(hi) (not checked again: the caller has evaluated both).
     */
    static double increasing(DoubleUnaryOperator f, double lo, double flo, double hi, double fhi, double tol) {
        int side = 0;
        for (int i = 0; i < 200 && hi - lo > tol; i++) {
            double x = (lo * fhi - hi * flo) / (fhi - flo);
            if (!(x > lo && x < hi)) {
                x = 0.5 * (lo + hi);
            }
            // Strictly inside the bracket, at least half the tolerance (or 1 % of it) from its ends.
            double margin = 0.01 * (hi - lo);
            x = Math.min(Math.max(x, lo + Math.min(margin, 0.5 * tol)), hi - Math.min(margin, 0.5 * tol));
            double fx = f.applyAsDouble(x);
            if (fx >= 0) {
                hi = x;
                fhi = fx;
                if (side == 1) {
                    flo *= 0.5;
                }
                side = 1;
            } else {
                lo = x;
                flo = fx;
                if (side == -1) {
                    fhi *= 0.5;
                }
                side = -1;
            }
        }
        return hi;
    }
}
