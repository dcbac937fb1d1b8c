package io.liftstream.experiments.stats.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

import org.junit.jupiter.api.Test;

class PowerPlannerTest {
    private static final PowerSpec RATE = new PowerSpec(Baseline.rate(0.1), true, Sides.TWO, 0.05, 0.8, 0.5, 0.5);

    @Test
    void absoluteLiftOnAMeanMetricIsTheTextbookFormula() {
        // n per arm = (z_{1−α/2} + z_{power})² · 2σ²/δ² (κ = 1; the other tail adds ~1e-7 of power).
        PowerSpec spec = new PowerSpec(Baseline.mean(3, 4), false, Sides.TWO, 0.05, 0.9, 0.5, 0.5);
        double z = Distributions.normalQuantile(0.975) + Distributions.normalQuantile(0.9);
        double perArm = z * z * 2 * 4 / (0.2 * 0.2);
        assertThat(PowerPlanner.usersFor(new FixedDesign(), spec, 0.2) / 2).isCloseTo(perArm, within(perArm * 1e-6));
        PowerSpec one = new PowerSpec(Baseline.mean(3, 4), false, Sides.GREATER, 0.05, 0.9, 0.5, 0.5);
        double z1 = Distributions.normalQuantile(0.95) + Distributions.normalQuantile(0.9);
        assertThat(PowerPlanner.usersFor(new FixedDesign(), one, 0.2) / 2).isCloseTo(z1 * z1 * 8 / 0.04, within(1e-6 * perArm));
    }

    @Test
    void sampleSizeAndMdeAreInverse() {
        for (Design d : new Design[] {new FixedDesign(), new SequentialDesign(SequentialConfig.DEFAULT),
            new MsprtDesign(0.0025), new GstDesign(4)}) {
            double users = PowerPlanner.usersFor(d, RATE, 0.07);
            assertThat(d.power(RATE, 0.07, users)).as(d.method()).isCloseTo(0.8, within(1e-6));
            assertThat(PowerPlanner.mdeFor(d, RATE, users)).as(d.method()).isCloseTo(0.07, within(1e-6));
        }
    }

    @Test
    void theBestTuningIsNearThePlannedSize() {
        double best = SequentialDesign.bestTuningForLift(RATE, 0.05);
        double atBest = PowerPlanner.usersFor(new SequentialDesign(new SequentialConfig(best)), RATE, 0.05);
        for (double other : new double[] {5000, best / 2, best * 2}) {
            assertThat(PowerPlanner.usersFor(new SequentialDesign(new SequentialConfig(other)), RATE, 0.05))
                    .isGreaterThan(atBest);
        }
        assertThat(best).isBetween(0.5 * atBest, 1.5 * atBest);
        double forUsers = SequentialDesign.bestTuningForUsers(RATE, atBest);
        assertThat(PowerPlanner.mdeFor(new SequentialDesign(new SequentialConfig(forUsers)), RATE, atBest))
                .isLessThanOrEqualTo(0.05 + 1e-6);
    }

    @Test
    void aLesserAlternativePlansADecrease() {
        PowerSpec lesser = new PowerSpec(Baseline.rate(0.1), true, Sides.LESSER, 0.05, 0.8, 0.5, 0.5);
        PowerSpec greater = new PowerSpec(Baseline.rate(0.1), true, Sides.GREATER, 0.05, 0.8, 0.5, 0.5);
        // A decrease of a rate below 0.5 has a smaller variance: fewer users than the same increase.
        assertThat(PowerPlanner.usersFor(new FixedDesign(), lesser, 0.1))
                .isLessThan(PowerPlanner.usersFor(new FixedDesign(), greater, 0.1));
        // A rate cannot fall by more than 100 %.
        assertThatThrownBy(() -> PowerPlanner.usersFor(new FixedDesign(), lesser, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside (0, 1)");
    }

    @Test
    void unreachableAndHugeAreSaidSo() {
        assertThat(PowerPlanner.mdeFor(new FixedDesign(), RATE, 30)).isNaN();
        // A relative lift of a mean metric: its SE grows with the lift, so a few users never suffice.
        PowerSpec noisy = new PowerSpec(Baseline.mean(1, 10_000), true, Sides.TWO, 0.05, 0.8, 0.5, 0.5);
        assertThat(PowerPlanner.mdeFor(new FixedDesign(), noisy, 100)).isNaN();
        assertThat(PowerPlanner.usersFor(new FixedDesign(), noisy, 1e-9)).isInfinite();
    }

    @Test
    void invalidSpecsAreRefused() {
        assertThatThrownBy(() -> new PowerSpec(Baseline.rate(0.1), true, Sides.TWO, 0.05, 0.04, 0.5, 0.5))
                .hasMessageContaining("--power");
        assertThatThrownBy(() -> new PowerSpec(Baseline.mean(0, 1), true, Sides.TWO, 0.05, 0.8, 0.5, 0.5))
                .hasMessageContaining("--absolute");
        assertThatThrownBy(() -> Baseline.mean(1, 0)).hasMessageContaining("variance");
        assertThatThrownBy(() -> new GstDesign(0)).hasMessageContaining("--looks");
        assertThatThrownBy(() -> new MsprtDesign(0)).hasMessageContaining("--msprt-tau2");
    }

    @Test
    void tinyAndHugeEffects() {
        // 1.5 σ needs about 14 users in all; 10 σ fewer than the minimum of 4.
        PowerSpec spec = new PowerSpec(Baseline.mean(0, 1), false, Sides.TWO, 0.05, 0.8, 0.5, 0.5);
        double z = Distributions.normalQuantile(0.975) + Distributions.normalQuantile(0.8);
        assertThat(PowerPlanner.usersFor(new FixedDesign(), spec, 1.5)).isCloseTo(2 * z * z * 2 / 2.25, within(0.01));
        assertThat(PowerPlanner.usersFor(new FixedDesign(), spec, 10)).isEqualTo(4);
        assertThatThrownBy(() -> PowerPlanner.usersFor(new FixedDesign(), spec, 0)).hasMessageContaining("--mde");
        assertThatThrownBy(() -> PowerPlanner.mdeFor(new FixedDesign(), spec, 0)).hasMessageContaining("users");
    }

    @Test
    void aHighRateHasLittleRoomToRise() {
        // A 90 % rate can rise by at most 11.1 % (relative): with enough users the MDE is found just
        // below that, with too few it is NaN; a fall has room down to −100 %.
        PowerSpec up = new PowerSpec(Baseline.rate(0.9), true, Sides.GREATER, 0.05, 0.8, 0.5, 0.5);
        double mde = PowerPlanner.mdeFor(new FixedDesign(), up, 400);
        assertThat(mde).isBetween(0.05, 0.1111);
        assertThat(new FixedDesign().power(up, mde, 400)).isCloseTo(0.8, within(1e-6));
        assertThat(PowerPlanner.mdeFor(new FixedDesign(), up, 20)).isNaN();
        PowerSpec down = new PowerSpec(Baseline.rate(0.9), true, Sides.LESSER, 0.05, 0.8, 0.5, 0.5);
        assertThat(PowerPlanner.mdeFor(new FixedDesign(), down, 100)).isBetween(0.1111, 1.0);
        // With 10 users per arm the power of a large fall first reaches 0.8 near −60 % and drops
        // again as p_T nears 0 (the normal approximation fails there): the first crossing is found.
        double few = PowerPlanner.mdeFor(new FixedDesign(), down, 20);
        assertThat(few).isBetween(0.5, 0.9);
        assertThat(new FixedDesign().power(down, few, 20)).isCloseTo(0.8, within(1e-6));
        PowerSpec absDown = new PowerSpec(Baseline.rate(0.1), false, Sides.LESSER, 0.05, 0.8, 0.5, 0.5);
        assertThat(PowerPlanner.mdeFor(new FixedDesign(), absDown, 200)).isBetween(0.05, 0.1);
        assertThat(PowerPlanner.mdeFor(new FixedDesign(), absDown, 20)).isNaN();
    }

    @Test
    void baselinesAndSpecsAtTheirEdges() {
        assertThatThrownBy(() -> Baseline.rate(0)).hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> Baseline.rate(1)).hasMessageContaining("(0, 1)");
        assertThat(Baseline.rate(0.5).feasible(0)).isFalse();
        assertThat(Baseline.rate(0.5).feasible(1)).isFalse();
        assertThat(Baseline.rate(0.5).feasible(0.99)).isTrue();
        assertThat(Baseline.mean(5, 1).feasible(-100)).isTrue();
        // A relative lift divides by |μ_C|: +10 % of −2 is −1.8.
        assertThat(Baseline.mean(-2, 1).treatmentMean(0.1, true)).isCloseTo(-1.8, within(1e-15));
        assertThat(Baseline.mean(-2, 1).treatmentMean(0.1, false)).isCloseTo(-1.9, within(1e-15));
        Baseline b = Baseline.rate(0.1);
        assertThatThrownBy(() -> new PowerSpec(b, true, Sides.TWO, 0.5, 0.8, 0.5, 0.5)).hasMessageContaining("--alpha");
        assertThatThrownBy(() -> new PowerSpec(b, true, Sides.TWO, 0, 0.8, 0.5, 0.5)).hasMessageContaining("--alpha");
        assertThatThrownBy(() -> new PowerSpec(b, true, Sides.TWO, 0.05, 0.05, 0.5, 0.5)).hasMessageContaining("--power");
        assertThatThrownBy(() -> new PowerSpec(b, true, Sides.TWO, 0.05, 1, 0.5, 0.5)).hasMessageContaining("--power");
        assertThatThrownBy(() -> new PowerSpec(b, true, Sides.TWO, 0.05, 0.8, 0, 0.5)).hasMessageContaining("weights");
        assertThatThrownBy(() -> new PowerSpec(b, true, Sides.TWO, 0.05, 0.8, 0.5, 0)).hasMessageContaining("weights");
        assertThatThrownBy(() -> new PowerSpec(b, true, Sides.TWO, 0.05, 0.8, 0.6, 0.41)).hasMessageContaining("weights");
        assertThat(new PowerSpec(b, true, Sides.TWO, 0.05, 0.8, 0.6, 0.4).pairFraction()).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void kappaOfAnAbsoluteLiftOnARate() {
        // z = D/S, S² = p_T(1 − p_T)/w_T + p_C(1 − p_C)/w_C: the variance moves with p_T and p_C, so
        // g_T = 1/S − D(1 − 2p_T)/(2 w_T S³), g_C = −1/S − D(1 − 2p_C)/(2 w_C S³).
        PowerSpec spec = new PowerSpec(Baseline.rate(0.2), false, Sides.TWO, 0.05, 0.8, 0.5, 0.5);
        double pT = 0.26;
        double pC = 0.2;
        double d = pT - pC;
        double vT = pT * (1 - pT) / 0.5;
        double vC = pC * (1 - pC) / 0.5;
        double s = Math.sqrt(vT + vC);
        double gT = 1 / s - d * (1 - 2 * pT) / (2 * 0.5 * s * s * s);
        double gC = -1 / s - d * (1 - 2 * pC) / (2 * 0.5 * s * s * s);
        assertThat(spec.kappa(0.06)).isCloseTo(Math.sqrt(gT * gT * vT + gC * gC * vC), within(1e-7));
        PowerSpec plain = new PowerSpec(Baseline.rate(0.2), false, Sides.TWO, 0.05, 0.8, 0.5, 0.5, false);
        assertThat(plain.kappa(0.06)).isEqualTo(1.0);
    }
}
