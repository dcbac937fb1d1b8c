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
}
