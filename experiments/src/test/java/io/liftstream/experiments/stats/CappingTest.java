package io.liftstream.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

class CappingTest {
    private static final double[] POOLED = {10, 50, 30, 5, 0, 20, 100, 0, 40, 8};

    @Test
    void percentileIsTheInterpolatedQuantileOfThePooledValues() {
        // numpy.percentile(POOLED, 80) = 42.0; without zeros 46.0; 99th: 95.5; 100th: the maximum.
        assertThat(Capping.percentile(0.8, false).threshold(POOLED)).isCloseTo(42.0, within(1e-12));
        assertThat(Capping.percentile(0.8, true).threshold(POOLED)).isCloseTo(46.0, within(1e-12));
        assertThat(Capping.percentile(0.99, false).threshold(POOLED)).isCloseTo(95.5, within(1e-12));
        assertThat(Capping.percentile(1.0, false).threshold(POOLED)).isEqualTo(100.0);
        assertThat(POOLED[0]).isEqualTo(10); // the caller's array is not sorted in place
    }

    @Test
    void percentileOfNothingCapsNothing() {
        assertThat(Capping.percentile(0.9, true).threshold(new double[] {0, 0})).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Capping.percentile(0.9, false).threshold(new double[0])).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Capping.percentile(0.5, false).threshold(new double[] {7})).isEqualTo(7.0);
    }

    @Test
    void absoluteCapIgnoresTheData() {
        Capping c = Capping.absolute(25);
        assertThat(c.threshold(POOLED)).isEqualTo(25);
        SampleStats s = Capping.cappedStats(new double[] {10, 50, 30, 5, 0}, 25);
        assertThat(s).isEqualTo(SampleStats.of(5, 65, 100 + 625 + 625 + 25));
        assertThat(Capping.cap(-3, 25)).isEqualTo(-3); // capping is from above only, as GrowthBook's
    }

    @Test
    void cappingAHeavyTailShrinksTheVariance() {
        // Lognormal revenue (σ = 2): capping at the 99th percentile removes most of the variance.
        SplittableRandom r = new SplittableRandom(3);
        double[] x = new double[20_000];
        for (int i = 0; i < x.length; i++) {
            double u = r.nextDouble();
            double v = r.nextDouble();
            x[i] = Math.exp(2 * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        double c = Capping.percentile(0.99, false).threshold(x);
        SampleStats raw = Capping.cappedStats(x, Double.POSITIVE_INFINITY);
        SampleStats capped = Capping.cappedStats(x, c);
        assertThat(capped.variance(MetricType.MEAN)).isLessThan(0.2 * raw.variance(MetricType.MEAN));
        assertThat(capped.n()).isEqualTo(raw.n());
    }

    @Test
    void refusesCapsThatMeanNothing() {
        assertThatThrownBy(() -> Capping.absolute(0)).hasMessage("cap.value of an absolute cap must be a positive number, was 0.0");
        assertThatThrownBy(() -> Capping.percentile(99, false))
                .hasMessage("cap.value of a percentile cap must be in (0, 1], e.g. 0.99, was 99.0");
        assertThatThrownBy(() -> Capping.Type.of("winsor")).hasMessageContaining("cap.type must be");
    }
}
