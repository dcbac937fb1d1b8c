package io.liftstream.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.jobs.io.FileLines;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class TriggerBenchmarkTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(TriggerBenchmark.median()).isZero();
        assertThat(TriggerBenchmark.median(5)).isEqualTo(5);
        assertThat(TriggerBenchmark.median(9, 1, 5)).isEqualTo(5);
        assertThat(TriggerBenchmark.median(4, 1, 3, 2)).isEqualTo(2.5);
    }

    @Test
    void needsAtLeastOneMeasuredRun() {
        assertThatThrownBy(() -> new TriggerBenchmark(new FileLines("x"), new Configuration(), 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("need warm-ups >= 0 and runs >= 1, was 1 and 0");
    }
}
