package io.liftstream.experiments.bandit;

/**
 * Normal-gamma prior NG(μ₀, κ₀, α₀, β₀) on (mean μ, precision τ) of normally distributed rewards:
 * τ ~ Gamma(α₀, rate β₀), μ | τ ~ N(μ₀, 1/(κ₀τ)). The default {@link #WEAK} (0, 0.01, 1, 1) is worth a
 * hundredth of an observation on the mean, so the data dominate from the first reward; its variance
 * guess (β₀/α₀ = 1) fades after a handful of rewards.
 */
public record NormalGammaPrior(double mu, double kappa, double alpha, double beta) {
    public static final NormalGammaPrior WEAK = new NormalGammaPrior(0, 0.01, 1, 1);

    public NormalGammaPrior {
        if (!Double.isFinite(mu) || !(kappa > 0 && alpha > 0 && beta > 0)) {
            throw new IllegalArgumentException("normal-gamma prior needs finite mu and positive kappa, alpha, beta");
        }
    }
}
