package io.liftstream.jobs.input;

import io.liftstream.jobs.serde.ParsedLine;

import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Bounded out-of-orderness watermarks derived from every event, not from a periodic timer: after an
 * event the watermark is {@code maxEventTime - bound - 1}. Lateness therefore depends on the order of
 * the input only, never on processing speed, and a bounded replay is deterministic. Rejected lines
 * carry no event time and move nothing.
 *
 * <p>An event is late when its time is at or below the watermark, i.e. more than {@code bound}
 * behind the latest event time seen before it.
 */
public final class PerEventWatermarks implements WatermarkStrategy<ParsedLine> {
    private static final long serialVersionUID = 1L;

    private final long boundMillis;

    public PerEventWatermarks(Duration bound) {
        if (bound.isNegative()) {
            throw new IllegalArgumentException(EventTimeOptions.OUT_OF_ORDERNESS.key() + " must not be negative, was " + bound);
        }
        this.boundMillis = bound.toMillis();
    }

    @Override
    public WatermarkGenerator<ParsedLine> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        return new Generator(boundMillis);
    }

    @Override
    public TimestampAssigner<ParsedLine> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return (line, recordTimestamp) -> line.isValid() ? line.event.timestamp : recordTimestamp;
    }

    static final class Generator implements WatermarkGenerator<ParsedLine> {
        private final long boundMillis;
        private long emitted = Long.MIN_VALUE;

        Generator(long boundMillis) {
            this.boundMillis = boundMillis;
        }

        @Override
        public void onEvent(ParsedLine line, long eventTimestamp, WatermarkOutput output) {
            if (!line.isValid()) {
                return;
            }
            long candidate = line.event.timestamp - boundMillis - 1;
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
