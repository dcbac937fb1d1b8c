package io.liftstream.experiments.stats.cuped;

import io.liftstream.experiments.stats.ArmMoments;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.MetricType;

import java.util.List;

/**
 * CUPED regression adjustment (Deng, Xu, Kohavi, Walker 2013, "Improving the sensitivity of online
 * controlled experiments by utilizing pre-experiment data", WSDM, eq. 3–4), as gbstats'
 * {@code RegressionAdjustedStatistic}:
 *
 * <ul>
 *   <li>θ = Cov(Y, X)/Var(X), pooled over all arms (the arms' statistics added, then the sample
 *       covariance and variance of the pooled sample), so one θ serves every comparison and the
 *       adjustment cannot favour an arm;</li>
 *   <li>adjusted mean Ȳ − θX̄ per arm (the common shift θ·E X cancels in the difference);</li>
 *   <li>adjusted per-unit variance Var(Y) + θ²Var(X) − 2θCov(Y, X) (eq. 4: (1 − ρ²)Var(Y) at the
 *       optimal θ);</li>
 *   <li>a relative lift is still scaled by the unadjusted control mean; its variance then needs the
 *       control's Var(Y), Var(X), Cov(Y, X) and θ, which the adjusted moments carry (see
 *       {@code EffectEstimator}).</li>
 * </ul>
 * θ = 0 (no covariance, or a covariate without variance) gives back the unadjusted moments.
 */
public final class CupedAdjustment {
    private CupedAdjustment() {}

    /** Pooled θ; 0 when the pooled covariate has no variance. */
    public static double theta(List<CupedStats> arms) {
        CupedStats pooled = CupedStats.EMPTY;
        for (CupedStats arm : arms) {
            pooled = pooled.merge(arm);
        }
        double varX = pooled.pre().variance(MetricType.MEAN);
        if (!(varX > 0)) {
            return 0.0;
        }
        double theta = pooled.covariance() / varX;
        return Double.isFinite(theta) ? theta : 0.0;
    }

    /** Moments of one arm adjusted with θ; {@code type} sets the variance of the experiment metric. */
    public static ArmMoments adjust(CupedStats arm, double theta, MetricType type) {
        double mean = arm.post().mean();
        double varY = arm.post().variance(type);
        if (theta == 0.0) {
            return new ArmMoments(arm.post().n(), mean, varY, mean);
        }
        double varX = arm.pre().variance(MetricType.MEAN);
        double cov = arm.covariance();
        double adjustedVar = Math.max(0.0, varY + theta * theta * varX - 2 * theta * cov);
        return new ArmMoments(arm.post().n(), mean - theta * arm.pre().mean(), adjustedVar, mean, varY, theta, varX, cov);
    }
}
