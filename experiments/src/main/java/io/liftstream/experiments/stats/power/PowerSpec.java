package io.liftstream.experiments.stats.power;

import io.liftstream.experiments.stats.Sides;

/**
 * One comparison to plan: a treatment arm against the control.
 *
 * @param baseline the control's mean and variance
 * @param relative whether the lift is relative (Δ/|μ_C|, the engine's default) or absolute
 * @param sides the alternative, as in the analysis
 * @param alpha significance level of this comparison (already split over comparisons if needed)
 * @param power the probability of a significant result wanted at the minimum detectable effect
 * @param controlWeight fraction of all users in the control arm
 * @param treatmentWeight fraction of all users in the treatment arm
 */
public record PowerSpec(Baseline baseline, boolean relative, Sides sides, double alpha, double power,
        double controlWeight, double treatmentWeight) {

    public PowerSpec {
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("--alpha must be in (0, 0.5), was " + alpha);
        }
        if (!(power > alpha && power < 1)) {
            throw new IllegalArgumentException("--power must be in (alpha, 1), was " + power);
        }
        if (!(controlWeight > 0 && treatmentWeight > 0 && controlWeight + treatmentWeight <= 1 + 1e-12)) {
            throw new IllegalArgumentException("arm weights must be positive and sum to at most 1");
        }
        if (relative && baseline.mean() == 0) {
            throw new IllegalArgumentException("a relative lift needs a non-zero baseline mean; use --absolute");
        }
    }

    /** Users in the two compared arms per user in the experiment: n_C + n_T = N·(w_C + w_T). */
    public double pairFraction() {
        return controlWeight + treatmentWeight;
    }

    /**
     * N·Var(Δ̂) for a lift of {@code lift} with N users in the experiment (all arms), i.e. the
     * variance of the lift estimate times N, as the engine estimates it ({@code EffectEstimator}):
     * absolute σ²_T/w_T + σ²_C/w_C; relative by the delta method (Deng, Knoblich, Lu 2018, eq. 3)
     * σ²_T/(μ_C² w_T) + μ_T² σ²_C/(μ_C⁴ w_C), the treatment moments taken under the alternative
     * (as gbstats' {@code frequentistVariance} with meanB = μ(1 + effect)).
     */
    public double unitVariance(double lift) {
        Baseline b = baseline;
        double muT = b.treatmentMean(lift, relative);
        double vT = b.treatmentVariance(muT) / treatmentWeight;
        double vC = b.variance() / controlWeight;
        if (!relative) {
            return vT + vC;
        }
        double m2 = b.mean() * b.mean();
        return vT / m2 + muT * muT * vC / (m2 * m2);
    }

    /** Standard error of the lift estimate with {@code users} in the experiment. */
    public double se(double lift, double users) {
        return Math.sqrt(unitVariance(lift) / users);
    }
}
