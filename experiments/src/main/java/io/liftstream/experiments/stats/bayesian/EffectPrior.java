package io.liftstream.experiments.stats.bayesian;

/**
 * Normal prior on the lift, as gbstats' {@code GaussianPrior} for its effect model.
 *
 * @param mean prior mean of the lift
 * @param variance prior variance of the lift (used only when {@code proper})
 * @param proper false: flat (improper) prior, the posterior is the normal likelihood
 * @param onRelativeLift true: the prior is on the relative lift whatever the analysis (GrowthBook's
 *     default {@code prior_type} "relative"); an absolute analysis rescales it by the control mean
 *     (mean·|μ_C|, variance·μ_C², as gbstats' {@code EffectBayesianABTest}). False: on the scale
 *     of the lift analysed.
 */
public record EffectPrior(double mean, double variance, boolean proper, boolean onRelativeLift) {
    /**
     * Variance used when a proper prior names none: 0.3², i.e. a 30% relative lift is one standard
     * deviation (GrowthBook's {@code DEFAULT_PROPER_PRIOR_STDDEV}).
     */
    public static final double DEFAULT_VARIANCE = 0.09;
    /** GrowthBook's default standard deviation of a proper prior on the relative lift. */
    public static final double DEFAULT_STDDEV = 0.3;
    /** The default: flat (improper), so the posterior is the likelihood. */
    public static final EffectPrior FLAT = new EffectPrior(0, DEFAULT_VARIANCE, false);

    public EffectPrior {
        if (proper && !(variance > 0 && Double.isFinite(variance))) {
            throw new IllegalArgumentException("prior.variance must be positive for a proper prior");
        }
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("prior.mean must be a finite number");
        }
    }

    /** A prior on the scale of the lift analysed. */
    public EffectPrior(double mean, double variance, boolean proper) {
        this(mean, variance, proper, false);
    }

    /** GrowthBook's metric prior: on the relative lift, N(mean, stddev²) when proper. */
    public static EffectPrior relative(boolean proper, double mean, double stddev) {
        if (!(stddev > 0 && Double.isFinite(stddev))) {
            throw new IllegalArgumentException("prior_stddev must be positive, was " + stddev);
        }
        return new EffectPrior(mean, stddev * stddev, proper, true);
    }

    /**
     * The prior on the scale of the lift analysed: itself, or for a prior on the relative lift
     * and an absolute analysis, rescaled by the control mean μ_C. Null when that rescaling is
     * impossible (a proper prior and μ_C = 0).
     */
    public EffectPrior forLift(boolean relativeLift, double controlMean) {
        if (!onRelativeLift || relativeLift || !proper) {
            return this;
        }
        if (controlMean == 0) {
            return null;
        }
        return new EffectPrior(mean * Math.abs(controlMean), variance * controlMean * controlMean, true, false);
    }
}
