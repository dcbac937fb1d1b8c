package io.liftstream.experiments.stats.bayesian;

import io.liftstream.experiments.stats.Sides;

/**
 * When a Bayesian comparison is decisive ({@code significant}), with GrowthBook's defaults:
 *
 * <ul>
 *   <li><b>chance to win</b> beyond the confidence level c (GrowthBook's {@code confidenceLevel},
 *       default 0.95, i.e. 1 − α): better if P(lift &gt; 0) &gt; c, worse if P(lift &gt; 0) &lt; 1 − c
 *       (GrowthBook's {@code getMetricResultStatus}: chanceToWin &gt; ciUpper or &lt; ciLower);
 *       two-sided takes either, {@code greater} only the first, {@code lesser} only the second;</li>
 *   <li>and <b>risk</b> (expected loss of acting, Stucchio 2015) at most the risk threshold
 *       (GrowthBook's {@code winRisk}, default {@value #DEFAULT_WIN_RISK} = 0.25 % of the control
 *       mean): shipping a better arm must lose at most E max(−lift, 0) ≤ threshold, stopping a worse
 *       one E max(lift, 0) ≤ threshold. Risks of an absolute lift are divided by |control mean|
 *       first, so the threshold is always relative.</li>
 * </ul>
 * The reported credible interval is the equal-tailed one between the posterior's (1 − c) and c
 * quantiles (90 % for c = 0.95), so its ends are exactly where the chance to win crosses c and
 * 1 − c: a decisive comparison's interval always excludes 0 on the side of its direction. The
 * interval can exclude 0 without the comparison being decisive only when the risk is above the
 * threshold (a wide posterior: early, or a proper prior that has not yet been overcome).
 */
public final class BayesianRule {
    /** GrowthBook's default risk threshold ({@code DEFAULT_WIN_RISK_THRESHOLD}): 0.25 %. */
    public static final double DEFAULT_WIN_RISK = 0.0025;

    private BayesianRule() {}

    /** The α to pass to {@link GaussianEffectPosterior#posterior} for the interval described above. */
    public static double intervalAlpha(double confidenceLevel) {
        return 2 * (1 - confidenceLevel);
    }

    /**
     * @param riskScale what a risk is divided by before the threshold: 1 for a relative lift,
     *     |control mean| for an absolute one
     */
    public static boolean significant(GaussianEffectPosterior.Posterior p, Sides sides, double confidenceLevel,
            double winRisk, double riskScale) {
        boolean better = p.chanceToWin() > confidenceLevel && p.riskTreatment() / riskScale <= winRisk;
        boolean worse = p.chanceToWin() < 1 - confidenceLevel && p.riskControl() / riskScale <= winRisk;
        return switch (sides) {
            case GREATER -> better;
            case LESSER -> worse;
            default -> better || worse;
        };
    }
}
