package io.liftstream.experiments.bandit;

import org.apache.commons.math3.special.Beta;

import java.util.SplittableRandom;

/**
 * Beta–Bernoulli posteriors of conversion rates: with prior Beta(α₀, β₀) and s successes in n trials,
 * the posterior is Beta(α₀ + s, β₀ + n − s) (conjugacy; e.g. Gelman et al., Bayesian Data Analysis,
 * 3rd ed., §2.4, eq. 2.8 with the uniform prior generalised). A draw costs two gamma draws.
 */
public final class BetaBernoulliPosteriors extends ArmPosteriors {
    private final double[] alpha;
    private final double[] beta;
    private final long[] trials;
    private final long[] successes;

    private BetaBernoulliPosteriors(BetaPrior prior, ConversionStats[] stats) {
        int k = stats.length;
        if (k < 1) {
            throw new IllegalArgumentException("need at least one arm");
        }
        alpha = new double[k];
        beta = new double[k];
        trials = new long[k];
        successes = new long[k];
        for (int i = 0; i < k; i++) {
            trials[i] = stats[i].trials();
            successes[i] = stats[i].successes();
            alpha[i] = prior.alpha() + successes[i];
            beta[i] = prior.beta() + trials[i] - successes[i];
        }
    }

    public static BetaBernoulliPosteriors of(BetaPrior prior, ConversionStats... stats) {
        return new BetaBernoulliPosteriors(prior, stats);
    }

    public static BetaBernoulliPosteriors of(ConversionStats... stats) {
        return new BetaBernoulliPosteriors(BetaPrior.UNIFORM, stats);
    }

    @Override
    public int arms() {
        return alpha.length;
    }

    @Override
    public long observations(int arm) {
        return trials[arm];
    }

    @Override
    public double empiricalMean(int arm) {
        return trials[arm] == 0 ? 0 : (double) successes[arm] / trials[arm];
    }

    @Override
    public double sample(int arm, SplittableRandom rng) {
        return RandomVariates.beta(rng, alpha[arm], beta[arm]);
    }

    public double alpha(int arm) {
        return alpha[arm];
    }

    public double beta(int arm) {
        return beta[arm];
    }

    /** The regularized incomplete beta function I_x(α, β). */
    @Override
    public double cdf(int arm, double x) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        return Beta.regularizedBeta(x, alpha[arm], beta[arm]);
    }

    /** The posterior mean α/(α + β). */
    @Override
    public double location(int arm) {
        return alpha[arm] / (alpha[arm] + beta[arm]);
    }

    /** The posterior sd √(αβ/((α + β)²(α + β + 1))). */
    @Override
    public double spread(int arm) {
        double a = alpha[arm];
        double b = beta[arm];
        double s = a + b;
        return Math.sqrt(a * b / (s * s * (s + 1)));
    }

    @Override
    public double supportMin() {
        return 0;
    }

    @Override
    public double supportMax() {
        return 1;
    }
}
