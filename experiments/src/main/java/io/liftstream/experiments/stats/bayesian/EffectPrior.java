package io.liftstream.experiments.stats.bayesian;

/**
 * Normal prior on the lift (on the scale of the lift: relative or absolute), as gbstats'
 * {@code GaussianPrior} for its effect model.
 *
 * @param mean prior mean of the lift
 * @param variance prior variance of the lift (used only when {@code proper})
 * @param proper false: flat (improper) prior, the posterior is the normal likelihood
 */
public record EffectPrior(double mean, double variance, boolean proper) {
    /**
     * Variance used when a proper prior names none: 0.3², i.e. a 30% relative lift is one standard
     * deviation (GrowthBook's documented default proper prior on the relative effect).
     */
    public static final double DEFAULT_VARIANCE = 0.09;
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
}
