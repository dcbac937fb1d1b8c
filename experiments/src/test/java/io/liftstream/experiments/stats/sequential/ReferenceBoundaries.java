package io.liftstream.experiments.stats.sequential;

import io.liftstream.experiments.stats.Distributions;

/**
 * A second, deliberately plain implementation of Lan–DeMets OBF-type boundaries to check
 * {@link LanDeMetsBoundaries} against: the Armitage–McPherson–Rowe recursion (Jennison &amp; Turnbull
 * 2000, eqs. 19.3 and 19.4) on the score scale with one fixed fine grid (spacing 1/{@code perSd}
 * of the smallest increment's standard deviation, and at most 0.005), Simpson's rule with the
 * normal kernel evaluated directly, and plain bisection for each boundary. No interpolation, no
 * kernel recurrence, no Newton steps, no cache: slow (O(m²) per look) but with nothing in common
 * with the production code except the formulas. Regions without a finite boundary are cut at ±10
 * standard deviations.
 */
final class ReferenceBoundaries {
    private ReferenceBoundaries() {}

    static double[] boundaries(double[] t, double alpha, boolean twoSided, int perSd) {
        double alphaPerSide = twoSided ? alpha / 2 : alpha;
        double minSd = Double.POSITIVE_INFINITY;
        for (int k = 0; k < t.length; k++) {
            minSd = Math.min(minSd, Math.sqrt(t[k] - (k == 0 ? 0 : t[k - 1])));
        }
        double step = Math.min(0.005, minSd / perSd);
        double[] c = new double[t.length];
        double spentBefore = 0;
        double[] grid = null; // score-scale points
        double[] weighted = null; // Simpson weight × sub-density at the points
        boolean over = false;
        for (int k = 0; k < t.length; k++) {
            if (over) {
                c[k] = Double.POSITIVE_INFINITY;
                continue;
            }
            double spent = t[k] >= 1 ? alphaPerSide : spent(t[k], alphaPerSide);
            double increment = spent - spentBefore;
            spentBefore = spent;
            double sigma = Math.sqrt(t[k] - (k == 0 ? 0 : t[k - 1]));
            double sqrtT = Math.sqrt(t[k]);
            if (increment <= 1e-15) {
                c[k] = Double.POSITIVE_INFINITY;
            } else if (grid == null) {
                c[k] = Distributions.normalQuantile(1 - increment);
            } else {
                c[k] = solve(grid, weighted, sigma, increment) / sqrtT;
            }
            if (t[k] >= 1) {
                over = true;
                continue;
            }
            double hi = Math.min(c[k], 10) * sqrtT;
            double lo = twoSided ? -hi : -10 * sqrtT;
            int m = 2 * (int) Math.ceil((hi - lo) / step / 2);
            double h = (hi - lo) / m;
            double[] next = new double[m + 1];
            double[] nextWeighted = new double[m + 1];
            for (int j = 0; j <= m; j++) {
                next[j] = lo + j * h;
                double density = 0;
                if (grid == null) {
                    density = Distributions.normalPdf(next[j] / sigma) / sigma;
                } else {
                    for (int i = 0; i < grid.length; i++) {
                        density += weighted[i] * Distributions.normalPdf((next[j] - grid[i]) / sigma) / sigma;
                    }
                }
                double w = j == 0 || j == m ? 1 : (j % 2 == 1 ? 4 : 2);
                nextWeighted[j] = w * h / 3 * density;
            }
            grid = next;
            weighted = nextWeighted;
        }
        return c;
    }

    /** f(t) = 2 − 2Φ(Φ⁻¹(1 − a/2)/√t), written out again. */
    static double spent(double t, double alphaPerSide) {
        return 2 * Distributions.normalSf(Distributions.normalQuantile(1 - alphaPerSide / 2) / Math.sqrt(t));
    }

    /** The upper crossing probability Σ ρ_i Φ̄((b − s_i)/σ) = target, by bisection (b ≥ 0). */
    private static double solve(double[] grid, double[] weighted, double sigma, double target) {
        double lo = 0;
        double hi = grid[grid.length - 1] + 40 * sigma;
        if (crossing(grid, weighted, sigma, lo) <= target) {
            return 0;
        }
        while (hi - lo > 1e-13 * Math.max(1, hi)) {
            double mid = 0.5 * (lo + hi);
            if (crossing(grid, weighted, sigma, mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    static double crossing(double[] grid, double[] weighted, double sigma, double b) {
        double sum = 0;
        for (int i = 0; i < grid.length; i++) {
            sum += weighted[i] * Distributions.normalSf((b - grid[i]) / sigma);
        }
        return sum;
    }
}
