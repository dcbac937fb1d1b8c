package io.liftstream.jobs.decisions;

import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Per-event bounded out-of-orderness watermarks for one input stream of the decision job, as {@link
 * io.liftstream.jobs.input.PerEventWatermarks} for the trigger job: after a line at time t the
 * watermark is {@code max t − bound − 1}. Rejected lines and untimed definitions move nothing.
 */
public final class DecisionWatermarks implements WatermarkStrategy<DecisionLine> {
    private static final long serialVersionUID = 1L;

    private final long boundMillis;

    public DecisionWatermarks(Duration bound) {
        this.boundMillis = bound.toMillis();
    }

    @Override
    public WatermarkGenerator<DecisionLine> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        return new Generator(boundMillis);
    }

    @Override
    public TimestampAssigner<DecisionLine> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return (line, recordTimestamp) -> line.isValid() && line.time != DecisionLine.UNTIMED ? line.time : recordTimestamp;
    }

    static final class Generator implements WatermarkGenerator<DecisionLine> {
        private final long boundMillis;
        private long emitted = Long.MIN_VALUE;

        Generator(long boundMillis) {
            this.boundMillis = boundMillis;
        }

        @Override
        public void onEvent(DecisionLine line, long eventTimestamp, WatermarkOutput output) {
            if (!line.isValid() || line.time == DecisionLine.UNTIMED) {
                return;
            }
            long candidate = line.time - boundMillis - 1;
            if (candidate > emitted) {
                emitted = candidate;
                output.emitWatermark(new Watermark(candidate));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // Watermarks follow events only.
        }
    }
}
