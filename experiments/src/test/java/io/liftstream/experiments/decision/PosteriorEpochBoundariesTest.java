package io.liftstream.experiments.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/** Epoch k is [kΔ, (k+1)Δ), aligned on the Unix epoch, also before it (negative times floor down). */
class PosteriorEpochBoundariesTest {
    private final PosteriorEpochs minute = new PosteriorEpochs(Duration.ofMinutes(1));

    @Test
    void epochsAreHalfOpenIntervals() {
        assertThat(minute.lengthMillis()).isEqualTo(60_000);
        assertThat(minute.epoch(0)).isZero();
        assertThat(minute.epoch(59_999)).isZero();
        assertThat(minute.epoch(60_000)).isEqualTo(1);
        assertThat(minute.start(60_000)).isEqualTo(60_000);
        assertThat(minute.start(119_999)).isEqualTo(60_000);
        assertThat(minute.startOf(2)).isEqualTo(120_000);
        assertThat(minute.lastOf(2)).isEqualTo(179_999);
        assertThat(minute.lastOf(0) + 1).isEqualTo(minute.startOf(1));
    }

    @Test
    void timesBeforeTheUnixEpochFloorDown() {
        assertThat(minute.epoch(-1)).isEqualTo(-1);
        assertThat(minute.start(-1)).isEqualTo(-60_000);
        assertThat(minute.start(-60_000)).isEqualTo(-60_000);
        assertThat(minute.start(-60_001)).isEqualTo(-120_000);
    }

    @Test
    void theExtremeWatermarksMapToThemselves() {
        assertThat(minute.start(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(minute.start(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(minute.start(Long.MAX_VALUE - 1)).isEqualTo(Math.floorDiv(Long.MAX_VALUE - 1, 60_000L) * 60_000L);
    }

    @Test
    void aOneMillisecondIntervalIsTheSmallestAccepted() {
        PosteriorEpochs ms = new PosteriorEpochs(Duration.ofMillis(1));
        assertThat(ms.start(12_345)).isEqualTo(12_345);
        assertThat(ms.lastOf(7)).isEqualTo(7);
        assertThatThrownBy(() -> new PosteriorEpochs(Duration.ofNanos(999_999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the posterior interval must be at least 1 ms, was PT0.000999999S");
        assertThatThrownBy(() -> new PosteriorEpochs(null))
                .hasMessage("the posterior interval must be at least 1 ms, was null");
    }
}
