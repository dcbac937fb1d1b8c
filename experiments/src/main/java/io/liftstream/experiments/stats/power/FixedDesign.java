package io.liftstream.experiments.stats.power;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Sides;

/**
 * Fixed horizon: one analysis when all users are in, rejecting when |Δ̂| ≥ z_{1−α/2}·SE (z_{1−α}
 * one-sided). The usual normal-approximation power (e.g. Chow, Shao, Wang 2008, "Sample Size
 * Calculations in Clinical Research", §4.2; gbstats' {@code powerEstFrequentist}); the engine's
 * Welch t-test has hundreds of degrees of freedom and more at these sample sizes.
 */
public record FixedDesign() implements Design {

    @Override
    public String method() {
        return "fixed";
    }

    @Override
    public double power(PowerSpec spec, double lift, double users) {
        boolean two = spec.sides() == Sides.TWO;
        double z = Distributions.normalQuantile(1 - (two ? spec.alpha() / 2 : spec.alpha()));
        double signed = Design.signed(spec, lift);
        double se = spec.se(signed, users);
        return Design.beyond(z * se, lift, se, spec.kappa(signed), two);
    }
}
