package io.liftstream.experiments.bandit;

import io.liftstream.experiments.stats.Distributions;

import java.util.SplittableRandom;

/**
 * Posteriors of continuous rewards (e.g. revenue per exposure) under a normal model with unknown mean
 * and variance and the conjugate normal-gamma prior. From n rewards with mean x̄ and
 * S = Σ(x − x̄)² (Murphy, "Conjugate Bayesian analysis of the Gaussian distribution", 2007, §6,
 * eqs. 86–89; DeGroot, Optimal Statistical Decisions, 1970, §9.6):
 * <pre>
 *   κₙ = κ₀ + n
 *   μₙ = (κ₀μ₀ + n·x̄) / κₙ
 *   αₙ = α₀ + n/2
 *   βₙ = β₀ + S/2 + κ₀·n·(x̄ − μ₀)² / (2κₙ)
 * </pre>
 * A posterior draw of the mean takes τ ~ Gamma(αₙ, rate βₙ), then μ = μₙ + Z/√(κₙτ) with Z ~ N(0,1):
 * marginally a Student-t with 2αₙ degrees of freedom, location μₙ and scale √(βₙ/(αₙκₙ)). Costs one
 * gamma and one normal draw.
 */
public final class NormalGammaPosteriors extends ArmPosteriors {
    private final double[] mu;
    private final double[] kappa;
    private final double[] alpha;
    private final double[] beta;
    private final long[] n;
    private final double[] mean;

    private NormalGammaPosteriors(NormalGammaPrior prior, ValueStats[] stats) {
        int k = stats.length;
        if (k < 1) {
            throw new IllegalArgumentException("need at least one arm");
        }
        mu = new double[k];
        kappa = new double[k];
        alpha = new double[k];
        beta = new double[k];
        n = new long[k];
        mean = new double[k];
        for (int i = 0; i < k; i++) {
            ValueStats s = stats[i];
            n[i] = s.n();
            mean[i] = s.mean();
            kappa[i] = prior.kappa() + s.n();
            mu[i] = (prior.kappa() * prior.mu() + s.n() * mean[i]) / kappa[i];
            alpha[i] = prior.alpha() + s.n() / 2.0;
            double shift = mean[i] - prior.mu();
            beta[i] = prior.beta() + s.sumSquaredDeviations() / 2
                    + prior.kappa() * s.n() * shift * shift / (2 * kappa[i]);
        }
    }

    public static NormalGammaPosteriors of(NormalGammaPrior prior, ValueStats... stats) {
        return new NormalGammaPosteriors(prior, stats);
    }

    /** With the scale-free default prior {@link NormalGammaPrior#scaledTo} of these rewards. */
    public static NormalGammaPosteriors of(ValueStats... stats) {
        return new NormalGammaPosteriors(NormalGammaPrior.scaledTo(stats), stats);
    }

    @Override
    public int arms() {
        return mu.length;
    }

    @Override
    public long observations(int arm) {
        return n[arm];
    }

    @Override
    public double empiricalMean(int arm) {
        return mean[arm];
    }

    @Override
    public double sample(int arm, SplittableRandom rng) {
        double tau = RandomVariates.gamma(rng, alpha[arm]) / beta[arm];
        return mu[arm] + RandomVariates.normal(rng) / Math.sqrt(kappa[arm] * tau);
    }

    public double mu(int arm) { return mu[arm]; }
    public double kappa(int arm) { return kappa[arm]; }
    public double alpha(int arm) { return alpha[arm]; }
    public double beta(int arm) { return beta[arm]; }

    /** Scale of the marginal Student-t posterior of the mean: √(βₙ/(αₙκₙ)). */
    public double meanScale(int arm) {
        return Math.sqrt(beta[arm] / (alpha[arm] * kappa[arm]));
    }

    /** The marginal Student-t distribution function: 2αₙ degrees of freedom, location μₙ, scale {@link #meanScale}. */
    @Override
    public double cdf(int arm, double x) {
        return Distributions.studentCdf((x - mu[arm]) / meanScale(arm), 2 * alpha[arm]);
    }

    @Override
    public double location(int arm) {
        return mu[arm];
    }

    @Override
    public double spread(int arm) {
        return meanScale(arm);
    }
}
