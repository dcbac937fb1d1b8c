package io.liftstream.experiments.stats.frequentist;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.Sides;

/**
 * Fixed-horizon Welch t-test on an {@link Effect} (absolute or delta-method relative lift), as
 * gbstats' {@code TwoSidedTTest}, {@code OneSidedTreatmentGreaterTTest} and
 * {@code OneSidedTreatmentLesserTTest}.
 *
 * <p>Statistic t = Δ̂/SE with Welch–Satterthwaite df (Welch 1947, eq. 9); p-values from Student's t:
 * two-sided 2·P(T &gt; |t|), greater P(T &gt; t), lesser P(T &lt; t). Intervals Δ̂ ± t_{1−α/2, df}·SE
 * (two-sided) or [Δ̂ − t_{1−α, df}·SE, ∞) / (−∞, Δ̂ + t_{1−α, df}·SE].
 *
 * <p>Valid only when the sample size was fixed in advance and the data are looked at once: peeking
 * repeatedly inflates the false positive rate (see {@code simulate aa --method fixed}).
 */
public final class WelchTTest {
    private WelchTTest() {}

    public static Inference test(Effect effect, Sides sides, double alpha) {
        double se = effect.se();
        double t = effect.estimate() / se;
        double df = effect.df();
        switch (sides) {
            case GREATER: {
                double w = Distributions.studentQuantile(1 - alpha, df) * se;
                return Inference.byPValue(Distributions.studentSf(t, df), effect.estimate() - w,
                        Double.POSITIVE_INFINITY, alpha);
            }
            case LESSER: {
                double w = Distributions.studentQuantile(1 - alpha, df) * se;
                return Inference.byPValue(Distributions.studentCdf(t, df), Double.NEGATIVE_INFINITY,
                        effect.estimate() + w, alpha);
            }
            default: {
                double w = Distributions.studentQuantile(1 - alpha / 2, df) * se;
                return Inference.byPValue(2 * Distributions.studentSf(Math.abs(t), df),
                        effect.estimate() - w, effect.estimate() + w, alpha);
            }
        }
    }
}
