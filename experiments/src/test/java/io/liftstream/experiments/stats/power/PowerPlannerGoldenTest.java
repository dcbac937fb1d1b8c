package io.liftstream.experiments.stats.power;

import static io.liftstream.experiments.stats.Golden.assertRounded5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

import org.junit.jupiter.api.Test;

/**
 * Power, sample size and MDE against published values: GrowthBook's power calculator
 * ({@code packages/shared/test/power.test.ts}) and Jennison &amp; Turnbull (2000) table 2.3.
 */
class PowerPlannerGoldenTest {
    /** gbstats' test metric: mean 10, variance 3909.9997749994377, three variations of 400,000 users. */
    private static final Baseline GB = Baseline.mean(10, 3909.9997749994377);

    /** gbstats' convention: the statistic taken as N(θ, 1) (not studentized). */
    private static PowerSpec gb3(Sides sides) {
        return new PowerSpec(GB, true, sides, 0.05, 0.8, 1.0 / 3, 1.0 / 3, false);
    }

    @Test
    void fixedPowerMatchesGrowthBook() {
        // "calculates power correctly": 0.52144.
        assertRounded5(new FixedDesign().power(gb3(Sides.TWO), 0.05, 400_000), 0.52144);
    }

    @Test
    void fixedMdeMatchesGrowthBook() {
        // "calculates two-tailed mde correctly": 0.07027.
        assertRounded5(PowerPlanner.mdeFor(new FixedDesign(), gb3(Sides.TWO), 400_000), 0.07027);
    }

    @Test
    void fixedSampleSizeInvertsTheMde() {
        double users = PowerPlanner.usersFor(new FixedDesign(), gb3(Sides.TWO), 0.07027);
        assertThat(users).isCloseTo(400_000, within(400_000 * 2e-4));
    }

    @Test
    void sequentialHalfWidthMatchesGrowthBook() {
        // gbstats "calculates sequential power correctly": 0.20596, computed as a fixed-horizon power
        // with the standard error inflated to h(n)/z_{0.975}; h(n) is the same confidence sequence's
        // half-width for n = 2·400000/3 (the two compared arms), so this checks h and SE.
        PowerSpec spec = gb3(Sides.TWO);
        SequentialDesign seq = new SequentialDesign(new SequentialConfig(5000));
        double se = spec.se(0.05, 400_000);
        double z = Distributions.normalQuantile(0.975);
        double inflated = seq.halfWidth(spec, se, 400_000) / z;
        double gbPower = Distributions.normalSf(z - 0.05 / inflated) + Distributions.normalCdf(-z - 0.05 / inflated);
        assertRounded5(gbPower, 0.20596);
        // The sequence's own power at n: Δ̂ spreads with SE, not with the inflated SE, so below 50 %
        // power it is lower than gbstats' figure ...
        double own = seq.power(spec, 0.05, 400_000);
        assertThat(own).isLessThan(0.20596);
        assertThat(own).isCloseTo(Distributions.normalSf((inflated * z - 0.05) / se), within(1e-6));
        // ... and at the planned power (80 %) higher: gbstats' rule asks for more users than needed.
        double mde = PowerPlanner.mdeFor(seq, spec, 400_000);
        assertThat(seq.power(spec, mde, 400_000)).isCloseTo(0.8, within(1e-9));
        double seAtMde = spec.se(mde, 400_000);
        double inflatedAtMde = seq.halfWidth(spec, seAtMde, 400_000) / z;
        assertThat(Distributions.normalSf(z - mde / inflatedAtMde)).isLessThan(0.8);
    }

    @Test
    void recursionReproducesOBrienFlemingTables() {
        // J&T (2000) table 2.3, O'Brien-Fleming boundaries c_k = C_B·√(K/k), two-sided α = 0.05:
        // C_B = 1.977, 2.004, 2.024, 2.040 for K = 2..5, and inflation factors for power 0.9
        // R = 1.008, 1.017, 1.022, 1.026. The recursion must give level 0.05 under θ = 0 and R.
        double[] cb = {1.977, 2.004, 2.024, 2.040};
        double[] r = {1.008, 1.017, 1.022, 1.026};
        double fixedDrift = Distributions.normalQuantile(0.975) + Distributions.normalQuantile(0.9);
        for (int i = 0; i < cb.length; i++) {
            int k = i + 2;
            double[] t = new double[k];
            double[] c = new double[k];
            for (int j = 0; j < k; j++) {
                t[j] = (j + 1.0) / k;
                c[j] = cb[i] * Math.sqrt((double) k / (j + 1));
            }
            assertThat(GroupSequentialPower.power(t, c, true, 0)).as("level, K = %d", k).isCloseTo(0.05, within(3e-4));
            double drift = GroupSequentialPower.driftForPower(t, c, true, 0.9);
            assertThat(drift * drift / (fixedDrift * fixedDrift)).as("R, K = %d", k).isCloseTo(r[i], within(0.0015));
        }
    }

    @Test
    void lanDeMetsBoundariesSpendExactlyAlphaUnderTheNull() {
        // Two independent computations: the boundaries (LanDeMetsBoundaries) and this recursion.
        // At 50 looks too (the grid of GroupSequentialPower is scaled to each increment).
        for (int k : new int[] {2, 5, 10, 50}) {
            double tolerance = k <= 10 ? 1e-6 : 1e-5;
            GstDesign gst = new GstDesign(k);
            PowerSpec two = new PowerSpec(GB, true, Sides.TWO, 0.05, 0.8, 0.5, 0.5);
            PowerSpec one = new PowerSpec(GB, true, Sides.GREATER, 0.05, 0.8, 0.5, 0.5);
            assertThat(GroupSequentialPower.power(gst.fractions(), gst.boundaries(two), true, 0))
                    .isCloseTo(0.05, within(tolerance));
            assertThat(GroupSequentialPower.power(gst.fractions(), gst.boundaries(one), false, 0))
                    .isCloseTo(0.05, within(tolerance));
        }
    }

    @Test
    void lanDeMetsInflationFactors() {
        // OBF-type Lan-DeMets spending spends less early than O'Brien-Fleming's boundaries, so its
        // inflation factor is a little below table 2.3's: 1.00342, 1.01185, 1.01828, 1.02308 for
        // K = 2..5 (power 0.9, two-sided α = 0.05); PowerSimulationTest checks K = 5 by simulation.
        PowerSpec spec = new PowerSpec(GB, true, Sides.TWO, 0.05, 0.9, 0.5, 0.5);
        assertThat(new GstDesign(1).inflationFactor(spec)).isCloseTo(1.0, within(1e-9));
        double[] expected = {1.00342, 1.01185, 1.01828, 1.02308};
        double[] obf = {1.008, 1.017, 1.022, 1.026};
        for (int i = 0; i < expected.length; i++) {
            double r = new GstDesign(i + 2).inflationFactor(spec);
            assertThat(r).isCloseTo(expected[i], within(5e-6)).isLessThan(obf[i]);
        }
    }

    @Test
    void studentizingChangesOnlyTheSpread() {
        // Under the null and for an absolute lift on a mean metric κ = 1; a relative increase
        // narrows z (κ < 1), a relative decrease widens it.
        PowerSpec rel = new PowerSpec(GB, true, Sides.TWO, 0.05, 0.8, 1.0 / 3, 1.0 / 3);
        PowerSpec abs = new PowerSpec(GB, false, Sides.TWO, 0.05, 0.8, 1.0 / 3, 1.0 / 3);
        assertThat(rel.kappa(0)).isCloseTo(1.0, within(1e-6));
        assertThat(abs.kappa(0.5)).isCloseTo(1.0, within(1e-6));
        // z = (μ_T − μ_C)/√(σ²/n_T + r²σ²/n_C), r = μ_T/μ_C: κ² = (1 + 1)/(1 + r²) to first order
        // in μ_T plus the r² term's dependence on both means; checked against the closed form
        // g_T = (1 − D·r·σ²/(μ_C n_C S²))/S, g_C = (−1 + D·r²σ²/(μ_C n_C S²))/S, D = μ_T − μ_C.
        double r = 1.05;
        double s2 = 3 * GB.variance() * (1 + r * r);
        double d = 0.5;
        double gT = (1 - d * r * 3 * GB.variance() / (10 * s2)) / Math.sqrt(s2);
        double gC = (-1 + d * r * r * 3 * GB.variance() / (10 * s2)) / Math.sqrt(s2);
        double kappa = Math.sqrt((gT * gT + gC * gC) * 3 * GB.variance());
        assertThat(rel.kappa(0.05)).isCloseTo(kappa, within(1e-6)).isLessThan(1);
        assertThat(new PowerSpec(GB, true, Sides.LESSER, 0.05, 0.8, 0.5, 0.5).kappa(-0.05)).isGreaterThan(1);
        // The fixed design's power with κ: Φ̄((c − θ)/κ) + Φ((−c − θ)/κ).
        double se = rel.se(0.05, 400_000);
        double c = Distributions.normalQuantile(0.975);
        double expected = Distributions.normalSf((c - 0.05 / se) / kappa) + Distributions.normalCdf((-c - 0.05 / se) / kappa);
        assertThat(new FixedDesign().power(rel, 0.05, 400_000)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void manySmallIncrementsCarryTheMassExactly() {
        // 100 looks of which only the last can reject: the recursion must carry the density through
        // 99 small steps and give the fixed-horizon power Φ̄(1.96 − θ) + Φ(−1.96 − θ) exactly.
        int k = 100;
        double[] t = new double[k];
        double[] c = new double[k];
        for (int i = 0; i < k; i++) {
            t[i] = (i + 1.0) / k;
            c[i] = Double.POSITIVE_INFINITY;
        }
        c[k - 1] = 1.959963984540054;
        for (double theta : new double[] {0, 1.5, 2.8}) {
            double exact = Distributions.normalSf(c[k - 1] - theta) + Distributions.normalCdf(-c[k - 1] - theta);
            assertThat(GroupSequentialPower.power(t, c, true, theta)).isCloseTo(exact, within(1e-7));
        }
    }
}
