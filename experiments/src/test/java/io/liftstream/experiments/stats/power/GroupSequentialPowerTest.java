package io.liftstream.experiments.stats.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Sides;

import org.junit.jupiter.api.Test;

class GroupSequentialPowerTest {

    @Test
    void aLargeIncrementUnderAStrongDriftIsCarriedExactly() {
        // Looks at t = 0.1 and 1, the first unable to reject: the drift moves the density by θΔ = 4.5
        // between them, far beyond a narrow kernel band; the result must be the one-look power.
        double[] t = {0.1, 1.0};
        double[] c = {Double.POSITIVE_INFINITY, 1.959963984540054};
        double theta = 5;
        double exact = Distributions.normalSf(c[1] - theta) + Distributions.normalCdf(-c[1] - theta);
        assertThat(GroupSequentialPower.power(t, c, true, theta)).isCloseTo(exact, within(1e-9));
        assertThat(GroupSequentialPower.power(t, c, false, -1)).isCloseTo(Distributions.normalSf(c[1] + 1), within(1e-9));
    }

    @Test
    void crossingsAreFirstCrossingsPerLook() {
        // Two looks, first boundary 2.5 one-sided: P(Z_1 ≥ 2.5) at look 1 exactly.
        double[] t = {0.5, 1.0};
        double[] c = {2.5, 2.0};
        double[] p = GroupSequentialPower.crossings(t, c, false, 1.0);
        assertThat(p[0]).isCloseTo(Distributions.normalSf(2.5 - Math.sqrt(0.5)), within(1e-12));
        assertThat(p[1]).isPositive().isLessThan(Distributions.normalSf(2.0 - 1.0));
        assertThat(GroupSequentialPower.power(t, c, false, 1.0)).isCloseTo(p[0] + p[1], within(1e-15));
    }

    @Test
    void looksMustIncreaseAndMatchTheirBoundaries() {
        assertThatThrownBy(() -> GroupSequentialPower.crossings(new double[] {0.5, 0.5}, new double[] {3, 2}, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increase");
        assertThatThrownBy(() -> GroupSequentialPower.crossings(new double[] {0.5, 1}, new double[] {3}, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one boundary per look");
        assertThatThrownBy(() -> GroupSequentialPower.driftForPower(new double[] {1}, new double[] {Double.POSITIVE_INFINITY},
                true, 0.8)).hasMessageContaining("cannot be reached");
    }

    @Test
    void expectedUsersAreTheStoppingSizesWeighted() {
        GstDesign gst = new GstDesign(4);
        PowerSpec spec = new PowerSpec(Baseline.rate(0.2), true, Sides.TWO, 0.05, 0.8, 0.5, 0.5);
        double[] stop = gst.crossings(spec, 0.1, 20_000);
        double expected = 0;
        double going = 1;
        for (int k = 0; k < 3; k++) {
            expected += stop[k] * (k + 1) / 4.0 * 20_000;
            going -= stop[k];
        }
        expected += going * 20_000;
        assertThat(gst.expectedUsers(spec, 0.1, 20_000)).isCloseTo(expected, within(1e-6));
        assertThat(expected).isBetween(5_000.0, 20_000.0);
    }

    @Test
    void designsAreNamedAsTheAnalysisNamesThem() {
        assertThat(new FixedDesign().method()).isEqualTo("fixed");
        assertThat(new SequentialDesign(io.liftstream.experiments.stats.sequential.SequentialConfig.DEFAULT).method())
                .isEqualTo("sequential");
        assertThat(new MsprtDesign(0.01).method()).isEqualTo("msprt");
        assertThat(new GstDesign(3).method()).isEqualTo("gst");
        assertThat(new GstDesign(GstDesign.MAX_LOOKS).looks()).isEqualTo(100);
        assertThatThrownBy(() -> new GstDesign(GstDesign.MAX_LOOKS + 1)).hasMessageContaining("--looks");
    }
}
