package io.liftstream.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.serde.ParsedLine;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class PerEventWatermarksTest {
    private static final long T0 = 1_763_632_800_000L;

    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };

    private static ParsedLine at(long t) {
        ShopperEvent e = new ShopperEvent();
        e.timestamp = t;
        e.userId = "u";
        return ParsedLine.ok("line", e);
    }

    @Test
    void watermarkFollowsEveryEventAndNeverGoesBack() {
        PerEventWatermarks.Generator generator = new PerEventWatermarks.Generator(10_000);
        generator.onEvent(at(T0), T0, output);
        generator.onEvent(at(T0 + 5_000), T0 + 5_000, output);
        generator.onEvent(at(T0 + 1_000), T0 + 1_000, output); // out of order: no watermark
        generator.onEvent(at(T0 + 5_000), T0 + 5_000, output); // same max: no watermark
        generator.onPeriodicEmit(output); // never on a timer
        generator.onEvent(ParsedLine.rejected("bad", "malformed_json"), Long.MIN_VALUE, output);
        assertThat(emitted).containsExactly(T0 - 10_001, T0 + 5_000 - 10_001);
    }

    @Test
    void anEventExactlyTheBoundBehindIsNotLateOneMillisecondMoreIs() {
        PerEventWatermarks.Generator generator = new PerEventWatermarks.Generator(10_000);
        generator.onEvent(at(T0 + 10_000), T0 + 10_000, output);
        long watermark = emitted.get(emitted.size() - 1);
        assertThat(T0 > watermark).as("exactly 10 s behind is on time").isTrue();
        assertThat(T0 - 1 <= watermark).as("10.001 s behind is late").isTrue();
    }

    @Test
    void timestampsComeFromTheEvent() {
        PerEventWatermarks strategy = new PerEventWatermarks(Duration.ofSeconds(10));
        assertThat(strategy.createTimestampAssigner(null).extractTimestamp(at(T0), 5)).isEqualTo(T0);
        assertThat(strategy.createTimestampAssigner(null).extractTimestamp(ParsedLine.rejected("x", "y"), 5)).isEqualTo(5);
    }

    @Test
    void aNegativeBoundIsRefused() {
        assertThatThrownBy(() -> new PerEventWatermarks(Duration.ofSeconds(-1)))
                .hasMessageContaining("liftstream.events.out-of-orderness must not be negative");
    }
}
