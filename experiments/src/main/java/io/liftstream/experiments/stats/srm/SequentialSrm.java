package io.liftstream.experiments.stats.srm;

import org.apache.commons.math3.special.Gamma;

/**
 * Sequential sample ratio mismatch test of Lindon &amp; Malek (2022), "Anytime-valid inference for
 * multinomial count data" (NeurIPS 2022; arXiv:2011.03567), as used by gbstats' {@code ssrm} module.
 *
 * <p>Under the null the arm counts x are Multinomial(N, p₀) with p₀ the expected weights; the
 * alternative puts a Dirichlet(α) prior on the probabilities, α = c·p₀ with concentration c. The
 * Bayes factor of the whole sequence depends only on the current totals (the multinomial
 * coefficients cancel; their Dirichlet–multinomial Bayes factor):
 * <pre>  BF = [Γ(Σα) / Γ(Σα + N)] · Π Γ(α_i + x_i)/Γ(α_i) / Π p₀ᵢ^{x_i}</pre>
 * BF is a nonnegative martingale under the null, so p_t = min(p_{t−1}, 1/BF_t) is an anytime-valid
 * p-value (Ville's inequality) — the API takes the previous value. Arms with weight 0 are left out.
 */
public final class SequentialSrm {
    /** Dirichlet concentration c; gbstats' and the ssrm-test package's default. */
    public static final double DEFAULT_CONCENTRATION = 10_000;

    private SequentialSrm() {}

    /** ln BF for counts {@code counts} and expected weights {@code weights} (weight-0 arms skipped). */
    public static double logBayesFactor(long[] counts, double[] weights, double concentration) {
        double totalWeight = 0;
        for (int i = 0; i < counts.length; i++) {
            if (weights[i] > 0) {
                totalWeight += weights[i];
            }
        }
        double sumAlpha = 0;
        long total = 0;
        double logBf = 0;
        for (int i = 0; i < counts.length; i++) {
            if (weights[i] <= 0) {
                continue;
            }
            double p0 = weights[i] / totalWeight;
            double a = concentration * p0;
            long x = counts[i];
            sumAlpha += a;
            total += x;
            logBf += Gamma.logGamma(a + x) - Gamma.logGamma(a) - x * Math.log(p0);
        }
        return logBf + Gamma.logGamma(sumAlpha) - Gamma.logGamma(sumAlpha + total);
    }

    /**
     * @param previousPValue the value returned at the previous look (1 at the first)
     */
    public static double pValue(long[] counts, double[] weights, double concentration, double previousPValue) {
        int weighted = 0;
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (weights[i] > 0) {
                weighted++;
                total += counts[i];
            }
        }
        double previous = Math.min(1.0, Math.max(0.0, previousPValue));
        if (weighted < 2 || total == 0) {
            return previous;
        }
        double logBf = logBayesFactor(counts, weights, concentration);
        double current = logBf <= 0 ? 1.0 : Math.exp(-logBf);
        return Math.min(previous, current);
    }
}
