package io.liftstream.experiments.stats.power;

import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.sequential.MixtureSprt;

/**
 * The engine's mixture SPRT ({@link MixtureSprt}, Johari, Pekelis, Walsh 2017) with mixing variance
 * τ²: it rejects once Λ_n(0) ≥ 1/α, i.e. once |Δ̂| exceeds the half-width
 * √(2V(V + τ²)/τ² · ln(√((V + τ²)/V)/α)), V = SE². The power is the probability of that at the
 * planned sample size, Φ̄((h − δ)/SE); as for {@link SequentialDesign}, crossings at earlier looks
 * only add to it. One-sided tests keep the two-sided boundary and reject in one direction only,
 * as the engine does.
 *
 * @param tau2 mixing variance on the lift's scale (the engine's default is
 *     {@link io.liftstream.experiments.stats.Analyzer#defaultTau2})
 */
public record MsprtDesign(double tau2) implements Design {

    public MsprtDesign {
        if (!(tau2 > 0) || !Double.isFinite(tau2)) {
            throw new IllegalArgumentException("--msprt-tau2 must be positive, was " + tau2);
        }
    }

    @Override
    public String method() {
        return "msprt";
    }

    @Override
    public double power(PowerSpec spec, double lift, double users) {
        double signed = Design.signed(spec, lift);
        double se = spec.se(signed, users);
        double h = MixtureSprt.halfWidth(se * se, tau2, spec.alpha());
        return Design.beyond(h, lift, se, spec.kappa(signed), spec.sides() == Sides.TWO);
    }
}
