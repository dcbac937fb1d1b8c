package io.liftstream.jobs.input;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The sources' strategy: records keep their own timestamp (Kafka's record timestamp; none for
 * files), no watermarks are generated here (an {@link EventTimeSplitOperator} makes them from the
 * lines it accepts, with checkpointed state), and every record marks its split active again, so that
 * with {@link WatermarkStrategy#withIdleness} a partition that went idle and comes back holds back
 * event time again.
 */
public final class SourceActivity {
    private SourceActivity() {}

    public static <T> WatermarkStrategy<T> strategy() {
        return WatermarkStrategy.forGenerator(context -> new Generator<>());
    }

    static final class Generator<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            output.markActive();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // Watermarks are made downstream.
        }
    }
}
