package io.liftstream.experiments.bandit;

/** Beta(alpha, beta) prior of a conversion rate; {@link #UNIFORM} = Beta(1, 1) is the default. */
public record BetaPrior(double alpha, double beta) {
    public static final BetaPrior UNIFORM = new BetaPrior(1, 1);

    public BetaPrior {
        if (!(alpha > 0 && beta > 0)) {
            throw new IllegalArgumentException("Beta prior parameters must be positive, were " + alpha + ", " + beta);
        }
    }
}
