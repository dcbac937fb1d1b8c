package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.stats.Capping;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class MetricSpecCapAndCupedTest {
    private static MetricSpec revenue(Capping cap, Duration lookback) {
        return new MetricSpec("revenue", "Order Completed", "revenue", Duration.ofDays(7), MetricSpec.Desired.INCREASE,
                cap, lookback);
    }

    @Test
    void absoluteCapAppliesToTheUsersTotalNotToEachStep() {
        MetricSpec m = revenue(Capping.absolute(100), null);
        double raw = m.next(0, 150.0);
        assertThat(raw).isEqualTo(150.0); // the raw total is kept
        assertThat(m.capped(raw)).isEqualTo(100.0);
        raw = m.next(raw, -100.0); // a refund
        assertThat(m.capped(raw)).isEqualTo(50.0); // min(150 − 100, 100), not min(150, 100) − 100
        assertThat(revenue(null, null).capped(1e9)).isEqualTo(1e9);
    }

    @Test
    void theResultsJobRefusesPercentileCapsAndCappedConversions() {
        assertThatThrownBy(() -> revenue(Capping.percentile(0.99, false), null))
                .hasMessageStartingWith("metric 'revenue': the results job supports an absolute cap only");
        assertThatThrownBy(() -> new MetricSpec("c", "Order Completed", "conversion", Duration.ofDays(1), null,
                Capping.absolute(1), null)).hasMessage("metric 'c': a conversion (0 or 1 per user) cannot be capped");
    }

    @Test
    void cupedLookbackIsValidatedAndDefinesTheCovariate() {
        MetricSpec m = revenue(Capping.absolute(100), Duration.ofDays(14));
        assertThat(m.preExposureWindow()).isEqualTo(new PreExposureWindow(PreExposureWindow.DAY, 14));
        assertThat(m.covariate(250)).isEqualTo(100.0); // capped like the metric
        assertThat(m.contribution(12.5)).isEqualTo(12.5);
        assertThat(m.contribution(null)).isEqualTo(0.0);
        MetricSpec conversion = new MetricSpec("c", "Order Completed", "conversion", Duration.ofDays(1), null, null,
                Duration.ofHours(36));
        assertThat(conversion.preExposureWindow()).isEqualTo(new PreExposureWindow(PreExposureWindow.HOUR, 36));
        assertThat(conversion.contribution(null)).isEqualTo(1.0);
        assertThat(conversion.covariate(3)).isEqualTo(1.0);
        assertThat(conversion.covariate(0)).isEqualTo(0.0);
        assertThat(revenue(null, null).preExposureWindow()).isNull();
        assertThatThrownBy(() -> revenue(null, Duration.ofMinutes(90)))
                .hasMessage("metric 'revenue': cuped.lookback must be whole days (P14D) or whole hours (PT36H), was PT1H30M");
        assertThatThrownBy(() -> revenue(null, Duration.ofDays(401)))
                .hasMessage("metric 'revenue': cuped.lookback is too long: at most 400 days, was PT9624H");
        assertThatThrownBy(() -> revenue(null, Duration.ofDays(-1))).hasMessageContaining("must be a positive ISO-8601 duration");
    }

    @Test
    void theFiveFieldConstructorMeansNoCapAndNoCuped() {
        MetricSpec m = new MetricSpec("r", "Order Completed", "revenue", Duration.ofDays(1), null);
        assertThat(m.cap()).isNull();
        assertThat(m.cupedLookback()).isNull();
    }
}
